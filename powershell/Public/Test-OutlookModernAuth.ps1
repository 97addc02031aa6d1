function Test-OutlookModernAuth {
    <#
    .SYNOPSIS
        Tests whether Outlook desktops have the registry settings modern authentication needs
        (EnableADAL, Version, AlwaysUseMSOAuthForAutoDiscover, no WAM override), for this user or
        for a fleet of exported .reg files and NTUSER.DAT hives.

    .DESCRIPTION
        With -Path, reads .reg exports (reg export HKCU\Software\Microsoft\Office ...), registry
        hive files (NTUSER.DAT) or folders of them, one machine or profile each: this works on any
        OS, so a fleet collected into a share can be checked from anywhere. Without -Path, reads the
        live registry of the current user on Windows (-AllProfiles: every loaded profile, which
        needs elevation).

        Returns ExchangeAuthTools.Finding objects: Target names the machine and profile, Setting the
        registry value, Current and Expected the values, Fix the exact command. The rules are
        versioned data in the library (the rule-set version is in each finding's Context).

    .PARAMETER Path
        Exported .reg files, hive files (NTUSER.DAT) or folders of them (a fleet). Wildcards are allowed.

    .PARAMETER AllProfiles
        Without -Path, on Windows: check every loaded user profile, not only the current user.

    .PARAMETER MinimumSeverity
        Leave out findings less severe than this: Critical, High, Medium, Low or Info (default: all,
        Info included, which also confirms the machines that are fine).

    .EXAMPLE
        Test-OutlookModernAuth

        This user's Outlook: what is missing for modern authentication (Windows).

    .EXAMPLE
        Test-OutlookModernAuth -Path \\fileserver\outlook-reg\ -MinimumSeverity High | Group-Object -Property Target | Sort-Object -Property Count -Descending

        The machines of a fleet (a folder of reg export files) that cannot connect, worst first.

    .EXAMPLE
        Get-ChildItem .\exports\*.reg | Test-OutlookModernAuth | Export-Csv -Path .\outlook-findings.csv -NoTypeInformation -Encoding UTF8

        The findings of every exported machine, for Excel.

    .INPUTS
        System.String. System.IO.FileInfo and System.IO.DirectoryInfo (by FullName).

    .OUTPUTS
        ExchangeAuthTools.Finding

    .LINK
        https://github.com/exchange-auth-tools/exchange-auth-tools#powershell-module

    .LINK
        Enable-OutlookModernAuth
    #>
    [CmdletBinding(DefaultParameterSetName = 'Live')]
    [OutputType('ExchangeAuthTools.Finding')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Path', ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('FullName')]
        [SupportsWildcards()]
        [ValidateNotNullOrEmpty()]
        [string[]]
        $Path,

        [Parameter(ParameterSetName = 'Live')]
        [switch]
        $AllProfiles,

        [ValidateSet('Critical', 'High', 'Medium', 'Low', 'Info')]
        [string]
        $MinimumSeverity
    )

    begin {
        $paths = New-Object -TypeName 'System.Collections.Generic.List[string]'
    }

    process {
        foreach ($resolved in @(Resolve-EatInputPath -Cmdlet $PSCmdlet -Path $Path)) {
            $paths.Add($resolved)
        }
    }

    end {
        $parameters = @{}
        if ($PSCmdlet.ParameterSetName -eq 'Path') {
            if ($paths.Count -eq 0) {
                Write-Verbose -Message (Get-EatString -Key 'NoInput')
                return
            }
            $parameters['paths'] = $paths.ToArray()
        }
        else {
            $parameters['live'] = $true
            $parameters['allProfiles'] = [bool]$AllProfiles
        }
        if ($MinimumSeverity) {
            $parameters['minSeverity'] = $MinimumSeverity
        }
        $result = Invoke-EatTenantOperation -Cmdlet $PSCmdlet -Operation 'registry.check' -Parameters $parameters
        ConvertTo-EatFinding -InputObject @($result.findings)
    }
}

function Test-ExoPowerShellReadiness {
    <#
    .SYNOPSIS
        Tests whether this PowerShell is ready to manage Exchange Online with modern authentication:
        the right ExchangeOnlineManagement module (and no look-alike), PowerShell and .NET versions,
        TLS 1.2, proxy, PowerShellGet, execution policy, and no retired Remote PowerShell habits.

    .DESCRIPTION
        Gathers facts about the current shell in PowerShell ($PSVersionTable,
        Get-Module -ListAvailable for ExchangeOnlineManagement and names close to it, PowerShellGet
        and PSResourceGet versions, [Net.ServicePointManager]::SecurityProtocol, the WinHTTP and
        Internet Options proxy and the *_PROXY environment variables, WinRM client Basic
        authentication on Windows PowerShell 5.1, Get-ExecutionPolicy, open PSSessions, and the
        profile scripts plus -ScriptPath for retired connection patterns) and lets the library's
        versioned rules judge them. Returns ExchangeAuthTools.Finding objects, the most severe
        first, each with the exact command that fixes it.

        Windows-only facts are skipped on Linux and macOS; a fact that cannot be read is left out
        and the rules that need it stay silent. Nothing is changed and nothing is sent anywhere.

        -AsFacts returns the gathered facts instead (save them with ConvertTo-Json -Depth 6 to judge
        them on another machine with -FactsPath).

    .PARAMETER ScriptPath
        Scripts to scan for retired connection patterns (New-PSSession to outlook.office365.com,
        -UseRPSSession, ...), besides the profile scripts.

    .PARAMETER UserPrincipalName
        The admin account, used in the suggested Connect-ExchangeOnline commands.

    .PARAMETER FactsPath
        Judge a facts JSON file gathered elsewhere (-AsFacts | ConvertTo-Json -Depth 6) instead of
        this shell.

    .PARAMETER MinimumSeverity
        Leave out findings less severe than this: Critical, High, Medium, Low or Info (default: all).

    .PARAMETER AsFacts
        Return the gathered facts (a hashtable) instead of the findings.

    .EXAMPLE
        Test-ExoPowerShellReadiness

        Everything to fix before Connect-ExchangeOnline works with modern authentication here.

    .EXAMPLE
        Test-ExoPowerShellReadiness -ScriptPath .\Runbooks\*.ps1 -MinimumSeverity High | Format-List -Property Severity, Message, Fix

        The serious problems only, including retired Remote PowerShell connections in runbooks.

    .EXAMPLE
        Test-ExoPowerShellReadiness -AsFacts | ConvertTo-Json -Depth 6 | Set-Content -Path .\facts.json -Encoding UTF8
        Test-ExoPowerShellReadiness -FactsPath .\facts.json

        Gather on an admin workstation, judge anywhere.

    .OUTPUTS
        ExchangeAuthTools.Finding

    .OUTPUTS
        System.Collections.Hashtable (with -AsFacts)

    .LINK
        https://github.com/exchange-auth-tools/exchange-auth-tools#powershell-module

    .LINK
        Test-OutlookModernAuth
    #>
    [CmdletBinding(DefaultParameterSetName = 'Live')]
    [OutputType('ExchangeAuthTools.Finding', [hashtable])]
    param(
        [Parameter(ParameterSetName = 'Live')]
        [SupportsWildcards()]
        [ValidateNotNullOrEmpty()]
        [string[]]
        $ScriptPath,

        [Parameter(ParameterSetName = 'Live')]
        [ValidateNotNullOrEmpty()]
        [string]
        $UserPrincipalName,

        [Parameter(Mandatory = $true, ParameterSetName = 'File')]
        [ValidateNotNullOrEmpty()]
        [string]
        $FactsPath,

        [ValidateSet('Critical', 'High', 'Medium', 'Low', 'Info')]
        [string]
        $MinimumSeverity,

        [Parameter(ParameterSetName = 'Live')]
        [switch]
        $AsFacts
    )

    $parameters = @{}
    if ($PSCmdlet.ParameterSetName -eq 'File') {
        $parameters['factsPath'] = Resolve-EatSinglePath -Cmdlet $PSCmdlet -Path $FactsPath
    }
    else {
        $scripts = @()
        if ($ScriptPath) {
            $scripts = @(Resolve-EatInputPath -Cmdlet $PSCmdlet -Path $ScriptPath)
        }
        $facts = Get-EatExoFact -UserPrincipalName $UserPrincipalName -ScriptPath $scripts
        if ($AsFacts) {
            return $facts
        }
        $parameters['facts'] = $facts
    }
    if ($MinimumSeverity) {
        $parameters['minSeverity'] = $MinimumSeverity
    }
    $result = Invoke-EatTenantOperation -Cmdlet $PSCmdlet -Operation 'exo.readiness' -Parameters $parameters
    ConvertTo-EatFinding -InputObject @($result.findings)
}

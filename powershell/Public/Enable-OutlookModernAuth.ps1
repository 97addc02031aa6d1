function Enable-OutlookModernAuth {
    <#
    .SYNOPSIS
        Sets the registry values Outlook 2013 (15.0) or Outlook 2016 and later (16.0) needs for
        modern authentication, for the current user, and reports each value before and after. Or
        writes the same change as a .reg file, on any OS.

    .DESCRIPTION
        The values come from the library's versioned rules (the same rules Test-OutlookModernAuth
        checks against): for example EnableADAL = 1 and Version = 1 for Office 2013,
        AlwaysUseMSOAuthForAutoDiscover = 1, and the removal of overrides that turn modern
        authentication off. PowerShell only applies them under HKCU: with New-ItemProperty and
        Remove-ItemProperty.

        Idempotent: a value that is already right is left alone (Status Unchanged). Every change
        asks through ShouldProcess (-WhatIf shows what would change, -Confirm asks per value).
        Returns one ExchangeAuthTools.RegistryChange per value with Before, After and Status
        (Changed, Unchanged or Skipped). Outlook reads these values when it starts: restart it.

        -AsRegFile writes the change as a .reg file instead (for Group Policy, Intune or reg import
        on the machines); this works on Linux and macOS too. -RevertFile, with -RevertFrom (a reg
        export or NTUSER.DAT of the current settings), also writes the .reg that restores them.

    .PARAMETER OfficeVersion
        15.0 (Office 2013) or 16.0 (Office 2016, 2019, 2021, 2024 and Microsoft 365 Apps).

    .PARAMETER AsRegFile
        Write the change as a .reg file here instead of changing the registry. Returns the FileInfo.

    .PARAMETER RevertFile
        With -AsRegFile and -RevertFrom: write the .reg that restores the current settings here.

    .PARAMETER RevertFrom
        A .reg export or NTUSER.DAT hive of the current settings, for -RevertFile
        (reg export HKCU\Software\Microsoft before.reg).

    .EXAMPLE
        Enable-OutlookModernAuth -OfficeVersion 16.0 -WhatIf

        Shows which values would change for this user, changing nothing.

    .EXAMPLE
        Enable-OutlookModernAuth -OfficeVersion 15.0 | Format-Table -Property Name, Before, After, Status

        Turns on modern authentication for Outlook 2013 for this user and shows what changed.

    .EXAMPLE
        Enable-OutlookModernAuth -OfficeVersion 16.0 -AsRegFile .\outlook-modern-auth.reg -RevertFile .\outlook-modern-auth.revert.reg -RevertFrom .\before.reg

        Writes the fix and the matching undo as .reg files to deploy.

    .OUTPUTS
        ExchangeAuthTools.RegistryChange

    .OUTPUTS
        System.IO.FileInfo (with -AsRegFile)

    .LINK
        https://github.com/exchange-auth-tools/exchange-auth-tools#powershell-module

    .LINK
        Test-OutlookModernAuth
    #>
    [CmdletBinding(DefaultParameterSetName = 'Apply', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    [OutputType('ExchangeAuthTools.RegistryChange', [System.IO.FileInfo])]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [ValidateSet('15.0', '16.0')]
        [string]
        $OfficeVersion,

        [Parameter(Mandatory = $true, ParameterSetName = 'RegFile')]
        [Parameter(Mandatory = $true, ParameterSetName = 'RegFileRevert')]
        [ValidateNotNullOrEmpty()]
        [string]
        $AsRegFile,

        [Parameter(Mandatory = $true, ParameterSetName = 'RegFileRevert')]
        [ValidateNotNullOrEmpty()]
        [string]
        $RevertFile,

        [Parameter(Mandatory = $true, ParameterSetName = 'RegFileRevert')]
        [ValidateNotNullOrEmpty()]
        [string]
        $RevertFrom
    )

    $parameters = @{ office = $OfficeVersion }
    if ($PSCmdlet.ParameterSetName -ne 'Apply') {
        $outPath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($AsRegFile)
        if ($RevertFrom) {
            $parameters['revertFrom'] = Resolve-EatSinglePath -Cmdlet $PSCmdlet -Path $RevertFrom
            $parameters['revertOut'] = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($RevertFile)
        }
        if (-not $PSCmdlet.ShouldProcess($outPath, (Get-EatString -Key 'WriteRegFile'))) {
            return
        }
        $parameters['out'] = $outPath
        $result = Invoke-EatTenantOperation -Cmdlet $PSCmdlet -Operation 'registry.fix' -Parameters $parameters
        foreach ($path in @($result.written)) {
            Get-Item -LiteralPath $path
        }
        return
    }

    if (-not (Test-EatWindows)) {
        $message = Get-EatString -Key 'RegistryWindowsOnly' -Values @{ os = [System.Environment]::OSVersion.Platform }
        $PSCmdlet.ThrowTerminatingError((New-EatErrorRecord -Message $message -ErrorId 'RegistryWindowsOnly' -Category NotImplemented -TargetObject $OfficeVersion))
    }
    $result = Invoke-EatTenantOperation -Cmdlet $PSCmdlet -Operation 'registry.fix' -Parameters $parameters
    foreach ($change in (ConvertTo-EatTypedObject -InputObject @($result.changes) -TypeName 'ExchangeAuthTools.RegistryChange' -Schema $script:EatRegistryChangeSchema)) {
        $before = Get-EatRegistryValue -Path $change.Key -Name $change.Name
        $status = 'Unchanged'
        if ($change.Action -eq 'delete') {
            if ($null -ne $before) {
                $status = 'Skipped'
                $action = Get-EatString -Key 'RegistryRemove' -Values @{ name = $change.Name }
                if ($PSCmdlet.ShouldProcess($change.Key, $action)) {
                    Remove-ItemProperty -LiteralPath $change.Key -Name $change.Name -ErrorAction Stop
                    $status = 'Changed'
                }
            }
        }
        elseif ($null -eq $before -or [string]$before -ne [string]$change.Value -or (Get-EatRegistryValueKind -Path $change.Key -Name $change.Name) -ne $change.Type) {
            # A value of the right number but the wrong type (REG_SZ "1") is not what Office reads.
            $status = 'Skipped'
            $action = Get-EatString -Key 'RegistrySet' -Values @{ name = $change.Name; value = $change.Value; type = $change.Type }
            if ($PSCmdlet.ShouldProcess($change.Key, $action)) {
                if (-not (Test-Path -LiteralPath $change.Key)) {
                    $null = New-Item -Path $change.Key -Force -ErrorAction Stop
                }
                $null = New-ItemProperty -LiteralPath $change.Key -Name $change.Name -PropertyType $change.Type -Value $change.Value -Force -ErrorAction Stop
                $status = 'Changed'
            }
        }
        Add-Member -InputObject $change -MemberType NoteProperty -Name 'Before' -Value $before
        Add-Member -InputObject $change -MemberType NoteProperty -Name 'After' -Value (Get-EatRegistryValue -Path $change.Key -Name $change.Name)
        Add-Member -InputObject $change -MemberType NoteProperty -Name 'Status' -Value $status
        $change
    }
}

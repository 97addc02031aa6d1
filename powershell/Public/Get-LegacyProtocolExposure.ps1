function Get-LegacyProtocolExposure {
    <#
    .SYNOPSIS
        Shows, per mailbox, which legacy protocols are open, whether anyone still uses them, and what
        to change: disable now, migrate first, or investigate.

    .DESCRIPTION
        Joins the protocol settings of each mailbox (Get-EXOCASMailbox / Get-CASMailbox), the
        authentication policies (Get-AuthenticationPolicy, assigned with Get-User) and the
        organisation settings (Get-TransportConfig SmtpClientAuthenticationDisabled,
        Get-OrganizationConfig) with the legacy sign-ins of the same users (Measure-LegacyAuthUsage
        objects, or sign-in files / summary JSON with -UsagePath).

        Each mailbox gets one ExchangeAuthTools.MailboxExposure object: Recommendation (Disable,
        MigrateFirst, Investigate, BlockedByPolicy, NoAction or Unknown), Severity, OpenProtocols,
        UsedProtocols, Protocols (one ExchangeAuthTools.ProtocolExposure per protocol with the
        usage and the reason) and Commands (ExchangeAuthTools.RemediationCommand: the
        Set-CASMailbox / Set-User / authentication-policy commands, each ending with -WhatIf).
        Organisation-wide findings (SMTP AUTH open for the whole organisation, no default
        authentication policy) are written as warnings.

        -AsScript writes every command, organisation ones included, into one reviewable .ps1 script
        (UTF-8 with BOM, every command with -WhatIf, grouped by when it is safe to run) and returns
        the script's FileInfo. Nothing is changed in Exchange Online by this command.

        Usage is required: without sign-ins every enabled protocol would look unused. A protocol
        counts as unused when no sign-in was seen in the usage period; -UnusedDays says how long that
        period must be (default 30, what Entra ID P1/P2 keeps of sign-ins) before "unused" is
        trusted enough to disable.

        Properties passed to the library: the identity properties (Identity, Name, DisplayName,
        DistinguishedName, Guid, ExternalDirectoryObjectId, UserPrincipalName, PrimarySmtpAddress,
        WindowsEmailAddress, EmailAddresses) and, per input, the settings: mailboxes every *Enabled
        and *Disabled property, authentication policies AllowBasicAuth*, users AuthenticationPolicy,
        transport configuration SmtpClientAuthenticationDisabled, organisation configuration
        DefaultAuthenticationPolicy and *Enabled. $null values are kept: on a mailbox
        SmtpClientAuthenticationDisabled = $null means "the organisation setting applies".

    .PARAMETER Mailbox
        CAS mailbox objects: Get-EXOCASMailbox -PropertySets All -Properties
        SmtpClientAuthenticationDisabled, or Get-CASMailbox. Takes pipeline input.

    .PARAMETER MailboxPath
        A file of CAS mailbox objects instead of -Mailbox: Export-Csv or ConvertTo-Json output
        (UTF-8 or UTF-16).

    .PARAMETER AuthenticationPolicy
        Authentication policy objects (Get-AuthenticationPolicy), or the path of an export of them.

    .PARAMETER User
        User objects with their AuthenticationPolicy (Get-User -ResultSize Unlimited), or the path of
        an export of them.

    .PARAMETER TransportConfig
        The Get-TransportConfig object (its SmtpClientAuthenticationDisabled is the organisation
        default for SMTP AUTH), or the path of an export of it.

    .PARAMETER OrganizationConfig
        The Get-OrganizationConfig object (DefaultAuthenticationPolicy, EwsEnabled), or the path of an
        export of it.

    .PARAMETER SecurityDefaults
        $true or $false, or the Get-MgPolicyIdentitySecurityDefaultEnforcementPolicy object: with
        Security Defaults on, Basic authentication is blocked for every protocol.

    .PARAMETER Usage
        ExchangeAuthTools.UsageSummary objects from Measure-LegacyAuthUsage (the default grouping,
        -By UserProtocol). An empty array means "no legacy sign-ins at all".

    .PARAMETER UsagePath
        Sign-in log files or folders, or summary JSON files (exauth summary --format json), read by
        the library. Wildcards are allowed.

    .PARAMETER UnusedDays
        How many days of usage are needed before a protocol nobody used is called safe to disable
        (default 30). With less usage the mailbox is Unknown instead of Disable.

    .PARAMETER AsScript
        Write the reviewable remediation script (.ps1, every command with -WhatIf) to this file and
        return its FileInfo instead of the mailbox objects. Honours -WhatIf and -Confirm.

    .EXAMPLE
        $usage = Measure-LegacyAuthUsage -Path .\SignInLogs
        Get-EXOCASMailbox -ResultSize Unlimited -PropertySets All -Properties SmtpClientAuthenticationDisabled |
            Get-LegacyProtocolExposure -Usage $usage -TransportConfig (Get-TransportConfig) -OrganizationConfig (Get-OrganizationConfig)

        One row per mailbox: what to disable now, what to migrate first, what to investigate.

    .EXAMPLE
        Get-CASMailbox -ResultSize Unlimited | Get-LegacyProtocolExposure -UsagePath .\SignInLogs -AuthenticationPolicy (Get-AuthenticationPolicy) -User (Get-User -ResultSize Unlimited) -AsScript .\remediation.ps1

        Writes every recommended change into remediation.ps1 (each command with -WhatIf) to review
        before removing -WhatIf from the commands you decide to run.

    .EXAMPLE
        Get-LegacyProtocolExposure -MailboxPath .\cas-mailboxes.csv -UsagePath .\summary.json |
            Where-Object -Property Recommendation -EQ 'MigrateFirst' |
            Select-Object -Property Identity, @{ Name = 'Protocols'; Expression = { $_.UsedProtocols -join ', ' } }

        The mailboxes whose legacy clients must move before their protocols can be turned off.

    .EXAMPLE
        $exposure = Get-LegacyProtocolExposure -MailboxPath .\cas-mailboxes.json -UsagePath .\SignInLogs
        $exposure.Commands | Where-Object -Property Phase -EQ 'Now' | Select-Object -ExpandProperty Command

        The commands that are safe now (nothing uses what they turn off), as text.

    .INPUTS
        CAS mailbox objects (Get-EXOCASMailbox, Get-CASMailbox, Import-Csv of an export).

    .OUTPUTS
        ExchangeAuthTools.MailboxExposure

    .OUTPUTS
        System.IO.FileInfo (with -AsScript)

    .LINK
        https://github.com/exchange-auth-tools/exchange-auth-tools#powershell-module

    .LINK
        Measure-LegacyAuthUsage

    .LINK
        Test-LegacyAuthBlock
    #>
    [CmdletBinding(DefaultParameterSetName = 'Object', SupportsShouldProcess = $true)]
    [OutputType('ExchangeAuthTools.MailboxExposure', [System.IO.FileInfo])]
    param(
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Object', ValueFromPipeline = $true)]
        [Alias('InputObject')]
        [AllowNull()]
        [object[]]
        $Mailbox,

        [Parameter(Mandatory = $true, ParameterSetName = 'Path')]
        [ValidateNotNullOrEmpty()]
        [string]
        $MailboxPath,

        [object[]]
        $AuthenticationPolicy,

        [object[]]
        $User,

        [object]
        $TransportConfig,

        [object]
        $OrganizationConfig,

        [object]
        $SecurityDefaults,

        [AllowEmptyCollection()]
        [object[]]
        $Usage,

        [SupportsWildcards()]
        [ValidateNotNullOrEmpty()]
        [string[]]
        $UsagePath,

        [ValidateRange(1, 3650)]
        [int]
        $UnusedDays = 30,

        [ValidateNotNullOrEmpty()]
        [string]
        $AsScript
    )

    begin {
        $mailboxes = New-Object -TypeName 'System.Collections.Generic.List[object]'
    }

    process {
        foreach ($item in @($Mailbox | Where-Object -FilterScript { $null -ne $_ })) {
            $mailboxes.Add($item)
        }
    }

    end {
        if ($PSCmdlet.ParameterSetName -eq 'Object' -and $mailboxes.Count -eq 0) {
            $PSCmdlet.ThrowTerminatingError((New-EatErrorRecord -Message (Get-EatString -Key 'NoMailbox') -ErrorId 'NoMailbox' -Category InvalidArgument -TargetObject 'Mailbox'))
        }
        if (-not $PSBoundParameters.ContainsKey('Usage') -and -not $PSBoundParameters.ContainsKey('UsagePath')) {
            $PSCmdlet.ThrowTerminatingError((New-EatErrorRecord -Message (Get-EatString -Key 'NoUsage') -ErrorId 'NoUsage' -Category InvalidArgument -TargetObject 'Usage'))
        }
        $inputs = Copy-EatBoundParameter -BoundParameters $PSBoundParameters
        $inputs['Mailbox'] = $mailboxes.ToArray()
        $inputs['UnusedDays'] = $UnusedDays
        $parameters = ConvertTo-EatTenantParameter -Cmdlet $PSCmdlet -Inputs $inputs
        $otherRows = @($Usage | Where-Object -FilterScript { $null -ne $_ -and $_.GroupBy -ne 'UserProtocol' })
        if ($otherRows.Count -gt 0) {
            Write-Warning -Message (Get-EatString -Key 'UsageOtherGrouping' -Values @{ count = $otherRows.Count })
        }
        $scriptPath = $null
        if ($AsScript) {
            $scriptPath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($AsScript)
            if (-not $PSCmdlet.ShouldProcess($scriptPath, (Get-EatString -Key 'WriteScript'))) {
                return
            }
            $parameters['script'] = $scriptPath
        }
        $result = Invoke-EatTenantOperation -Cmdlet $PSCmdlet -Operation 'exposure' -Parameters $parameters
        $report = $result.report
        foreach ($finding in @($report.tenantFindings | Where-Object -FilterScript { $null -ne $_ })) {
            Write-Warning -Message ('{0} {1}' -f $finding.message, $finding.fix).Trim()
        }
        foreach ($warning in @($report.warnings | Where-Object -FilterScript { $null -ne $_ })) {
            Write-Warning -Message ([string]$warning)
        }
        $counts = $report.counts
        Write-Verbose -Message (Get-EatString -Key 'ExposureCounts' -Values @{
                mailboxes    = $counts.mailboxes
                disable      = $counts.disable
                migrateFirst = $counts.migrateFirst
                investigate  = $counts.investigate
                days         = $report.coverageDays
            })
        if ($null -ne $scriptPath) {
            Get-Item -LiteralPath $scriptPath
            return
        }
        ConvertTo-EatMailboxExposure -InputObject @($report.mailboxes)
    }
}

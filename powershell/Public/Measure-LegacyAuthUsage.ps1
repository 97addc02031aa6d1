function Measure-LegacyAuthUsage {
    <#
    .SYNOPSIS
        Summarises legacy (Basic) authentication sign-ins by user and protocol, user, protocol, app,
        IP address, country or day, and tells real users to migrate from password spray to block.

    .DESCRIPTION
        Reads the same inputs as Get-LegacyAuthSignIn (files, folders, wildcards, pipeline input from
        Get-ChildItem) and returns one ExchangeAuthTools.UsageSummary object per group, most
        successful sign-ins first: the users, devices and apps to migrate first are at the top.

        Every row carries an Assessment and IsAttack: Migrate (real usage), FailuresOnly (a stale
        device or app with an old password), PasswordSpray or BruteForce (an attack: block legacy
        authentication, do not migrate) and CompromiseSuspected (a success from a password-spray IP:
        reset the password and revoke sessions). -SprayIp returns the detected password-spray source
        IPs instead of the rows.

        The counting runs in the native library over the whole input, with Write-Progress while the
        files are read; Ctrl+C stops it promptly. Memory grows with the number of groups, not with
        the number of sign-ins. Records or files that cannot be read are
        non-terminating errors; -Verbose prints the read counts.

        -WorkspaceId summarises in Log Analytics instead (the SigninLogs table that Entra ID
        diagnostic settings fill): the library sends one KQL query that groups on the server, so
        only the summary rows travel, however many sign-ins there are. -ShowQuery returns that
        query instead of running it. The access token is a SecureString (for example the Token of
        Get-AzAccessToken -ResourceUrl https://api.loganalytics.io -AsSecureString) and is turned
        into text only inside the request to the library.

    .PARAMETER Path
        Files or folders to read. Wildcards are allowed.

    .PARAMETER LiteralPath
        Files or folders to read, used exactly as written. Objects from Get-ChildItem bind here.

    .PARAMETER By
        The grouping: UserProtocol (default: one row per user and protocol), User, Protocol, App, IP,
        Country or Day.

    .PARAMETER Since
        Only sign-ins at or after this time. A time without an offset is local time.

    .PARAMETER Until
        Only sign-ins before this time.

    .PARAMETER UserPrincipalName
        Only these users. Wildcards (*) are allowed, case-insensitive.

    .PARAMETER Protocol
        Only these protocols or client apps (SMTP, IMAP, POP, ActiveSync, EWS, ... or a clientAppUsed value).

    .PARAMETER Outcome
        Any (default), Success or Failure.

    .PARAMETER IncludeModern
        Count modern-authentication sign-ins too (for a before/after comparison).

    .PARAMETER WorkspaceId
        The Log Analytics workspace (its GUID) whose SigninLogs table to summarise.

    .PARAMETER AccessToken
        With -WorkspaceId: a Log Analytics API access token (SecureString).

    .PARAMETER ShowQuery
        Return the KQL query the library would send, without running it.

    .PARAMETER SprayIp
        Return the detected password-spray source IPs (ExchangeAuthTools.SprayIp) instead of the rows.

    .EXAMPLE
        Measure-LegacyAuthUsage -Path .\SignInLogs

        Who uses which legacy protocol, most successful sign-ins first.

    .EXAMPLE
        Measure-LegacyAuthUsage .\SignInLogs -By Protocol | Format-Table -Property Protocol, Total, Succeeded, DistinctUserCount

        How much each legacy protocol is still used.

    .EXAMPLE
        Get-ChildItem .\logs\*.json | Measure-LegacyAuthUsage -By User | Where-Object -Property IsAttack -EQ $false | Export-Csv -Path .\to-migrate.csv -NoTypeInformation -Encoding UTF8

        The users to migrate (attacks left out), for Excel.

    .EXAMPLE
        Measure-LegacyAuthUsage .\logs -SprayIp | Sort-Object -Property TargetedUserCount -Descending

        The password-spray sources, the most targeted users first.

    .EXAMPLE
        $token = (Get-AzAccessToken -ResourceUrl 'https://api.loganalytics.io' -AsSecureString).Token
        Measure-LegacyAuthUsage -WorkspaceId 00000000-0000-0000-0000-000000000000 -AccessToken $token -By Protocol -Since (Get-Date).AddDays(-30)

        The last 30 days per protocol, counted in Log Analytics.

    .INPUTS
        System.String. System.IO.FileInfo and System.IO.DirectoryInfo (by PSPath).

    .OUTPUTS
        ExchangeAuthTools.UsageSummary

    .OUTPUTS
        ExchangeAuthTools.SprayIp

    .OUTPUTS
        System.String (with -ShowQuery)

    .LINK
        https://github.com/exchange-auth-tools/exchange-auth-tools#powershell-module

    .LINK
        Get-LegacyAuthSignIn
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    [OutputType('ExchangeAuthTools.UsageSummary', 'ExchangeAuthTools.SprayIp', [string])]
    param(
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Path', ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [SupportsWildcards()]
        [ValidateNotNullOrEmpty()]
        [string[]]
        $Path,

        [Parameter(Mandatory = $true, ParameterSetName = 'LiteralPath', ValueFromPipelineByPropertyName = $true)]
        [Alias('PSPath', 'FullName', 'LP')]
        [ValidateNotNullOrEmpty()]
        [string[]]
        $LiteralPath,

        [ValidateSet('UserProtocol', 'User', 'Protocol', 'App', 'IP', 'Country', 'Day')]
        [string]
        $By = 'UserProtocol',

        [datetime]
        $Since,

        [datetime]
        $Until,

        [SupportsWildcards()]
        [ValidateNotNullOrEmpty()]
        [string[]]
        $UserPrincipalName,

        [ValidateNotNullOrEmpty()]
        [string[]]
        $Protocol,

        [ValidateSet('Any', 'Success', 'Failure')]
        [string]
        $Outcome = 'Any',

        [switch]
        $IncludeModern,

        [Parameter(Mandatory = $true, ParameterSetName = 'LogAnalytics')]
        [Parameter(ParameterSetName = 'Query')]
        [guid]
        $WorkspaceId,

        [Parameter(Mandatory = $true, ParameterSetName = 'LogAnalytics')]
        [System.Security.SecureString]
        $AccessToken,

        [Parameter(Mandatory = $true, ParameterSetName = 'Query')]
        [switch]
        $ShowQuery,

        [Parameter(ParameterSetName = 'Path')]
        [Parameter(ParameterSetName = 'LiteralPath')]
        [switch]
        $SprayIp
    )

    begin {
        $inputPaths = New-Object -TypeName 'System.Collections.Generic.List[string]'
    }

    process {
        foreach ($resolved in @(Resolve-EatInputPath -Cmdlet $PSCmdlet -Path $Path -LiteralPath $LiteralPath)) {
            $inputPaths.Add($resolved)
        }
    }

    end {
        if (@('LogAnalytics', 'Query') -contains $PSCmdlet.ParameterSetName) {
            $parameters = ConvertTo-EatFilterParameter -Cmdlet $PSCmdlet -CommandName 'Measure-LegacyAuthUsage' -Paths @() -BoundParameters $PSBoundParameters -Live
            $parameters['by'] = $By
            $parameters['showQuery'] = [bool]$ShowQuery
            if ($PSBoundParameters.ContainsKey('WorkspaceId')) {
                $parameters['workspaceId'] = $WorkspaceId.ToString()
            }
            if ($null -ne $AccessToken) {
                $parameters['accessToken'] = ConvertFrom-EatSecureString -SecureString $AccessToken
            }
            try {
                $result = Invoke-EatTenantOperation -Cmdlet $PSCmdlet -Operation 'fetch.loganalytics.summary' -Parameters $parameters
            }
            finally {
                $parameters['accessToken'] = $null
            }
            if ($ShowQuery) {
                [string]$result.query
                return
            }
            Write-Verbose -Message ([string]$result.query)
            ConvertTo-EatUsageSummary -InputObject @($result.rows)
            return
        }
        $parameters = ConvertTo-EatFilterParameter -Cmdlet $PSCmdlet -CommandName 'Measure-LegacyAuthUsage' -Paths $inputPaths.ToArray() -BoundParameters $PSBoundParameters
        if ($null -eq $parameters) {
            return
        }
        $parameters['by'] = $By
        # summaryJob (not the one-shot summary): Write-Progress while the files are read, and Ctrl+C
        # cancels the native work within one batch instead of waiting for the whole input.
        try {
            $result = Invoke-EatJob -Operation 'summaryJob' -Parameters $parameters -Cmdlet $PSCmdlet -Activity (Get-EatString -Key 'ProgressSummarising')
        }
        catch {
            $PSCmdlet.ThrowTerminatingError((ConvertTo-EatErrorRecord -ErrorRecord $_))
        }
        if ($null -eq $result) {
            return
        }
        # problems: {"total": N, "kept": [first 1,000]} (the crate's analysis::run::ProblemLog).
        Write-EatProblem -Cmdlet $PSCmdlet -Problems $result.problems
        if ($SprayIp) {
            ConvertTo-EatSprayIp -InputObject @($result.attacks.sprayIps)
        }
        else {
            ConvertTo-EatUsageSummary -InputObject @($result.rows)
        }
    }
}

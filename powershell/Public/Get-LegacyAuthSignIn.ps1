function Get-LegacyAuthSignIn {
    <#
    .SYNOPSIS
        Streams sign-in records from Entra ID sign-in log files: legacy (Basic) authentication only,
        unless -IncludeModern.

    .DESCRIPTION
        Reads sign-in logs in every supported format, detected from the content: Microsoft Graph
        signIns responses (pages, arrays, single objects, NDJSON; v1.0 and beta), diagnostic-settings
        and Event Hub records, and the other sources the ExchangeAuthTools library reads. Folders are
        read recursively. Records stream to the pipeline batch by batch while the files are still
        being read, as ExchangeAuthTools.SignIn objects with typed properties ([datetime]
        CreatedDateTime, [bool] Succeeded, [int] ErrorCode, ...).

        A record or file that cannot be read is a non-terminating error (the file is the target)
        and reading goes on; use -ErrorAction SilentlyContinue to hide them or -ErrorVariable to
        collect them. Ctrl+C stops the reading promptly. -Verbose prints the end-of-run counts.

        -FromGraph reads the sign-ins live from Microsoft Graph (auditLogs/signIns) with the access
        token you give (-AccessToken, a SecureString: for example the Token of
        Get-AzAccessToken -ResourceUrl https://graph.microsoft.com -AsSecureString; it needs
        AuditLog.Read.All, and the tenant needs Entra ID P1 or P2). The library pages, splits the
        time range and honours Graph throttling; -CheckpointPath makes a long fetch resumable. The
        token is turned into text only inside the request to the library and is never written to
        any stream. -Protocol and -Outcome are applied to the fetched records; -UserPrincipalName
        without wildcards is sent to Graph as a filter.

    .PARAMETER Path
        Files or folders to read. Wildcards are allowed. Relative paths are resolved against the
        current PowerShell location.

    .PARAMETER LiteralPath
        Files or folders to read, used exactly as written (no wildcards). Objects from Get-ChildItem
        bind here by their PSPath or FullName property.

    .PARAMETER Since
        Only sign-ins at or after this time. A time without an offset is local time.

    .PARAMETER Until
        Only sign-ins before this time.

    .PARAMETER UserPrincipalName
        Only these users. Wildcards (*) are allowed, case-insensitive: '*@contoso.com'.

    .PARAMETER Protocol
        Only these protocols or client apps: SMTP, IMAP, POP, ActiveSync, EWS, MAPI, Autodiscover,
        OtherClients, ... or a clientAppUsed value such as 'Authenticated SMTP'. See
        Get-LegacyAuthClientApp.

    .PARAMETER Outcome
        Any (default), Success or Failure.

    .PARAMETER IncludeModern
        Also return modern-authentication sign-ins (Browser, Mobile Apps and Desktop clients).

    .PARAMETER FromGraph
        Read the sign-ins from Microsoft Graph instead of files.

    .PARAMETER AccessToken
        With -FromGraph: a Microsoft Graph access token (SecureString) with AuditLog.Read.All.

    .PARAMETER GraphUrl
        With -FromGraph: the Graph endpoint, for national clouds (default https://graph.microsoft.com).

    .PARAMETER CheckpointPath
        With -FromGraph: a checkpoint file. An interrupted fetch started again with the same file
        goes on where it stopped.

    .PARAMETER BatchSize
        How many records the native library hands over at a time (default 256). Larger batches are
        slightly faster; smaller ones show the first records sooner.

    .EXAMPLE
        Get-LegacyAuthSignIn -Path .\SignInLogs\*.json

        Every legacy sign-in in the JSON files of the folder.

    .EXAMPLE
        Get-ChildItem -Path .\logs -Filter *.json | Get-LegacyAuthSignIn -IncludeModern | Group-Object -Property ClientAppUsed

        Pipeline input from Get-ChildItem: all sign-ins grouped by client app.

    .EXAMPLE
        Get-LegacyAuthSignIn .\export.ndjson -Protocol SMTP -Outcome Success -Since (Get-Date).AddDays(-30) |
            Sort-Object -Property UserPrincipalName -Unique |
            Select-Object -Property UserPrincipalName, IPAddress, UserAgent

        Who sent mail with Basic SMTP AUTH successfully in the last 30 days.

    .EXAMPLE
        Get-LegacyAuthSignIn .\logs -ErrorAction SilentlyContinue -ErrorVariable unreadable
        $unreadable | Select-Object -Property TargetObject, Exception

        Read what can be read; collect the records and files that could not be read.

    .EXAMPLE
        $token = (Get-AzAccessToken -ResourceUrl 'https://graph.microsoft.com' -AsSecureString).Token
        Get-LegacyAuthSignIn -FromGraph -AccessToken $token -Since (Get-Date).AddDays(-7) -CheckpointPath .\graph.checkpoint

        The legacy sign-ins of the last 7 days straight from Microsoft Graph, resumable.

    .INPUTS
        System.String. System.IO.FileInfo and System.IO.DirectoryInfo (by PSPath).

    .OUTPUTS
        ExchangeAuthTools.SignIn

    .LINK
        https://github.com/exchange-auth-tools/exchange-auth-tools#powershell-module

    .LINK
        Measure-LegacyAuthUsage

    .LINK
        Get-LegacyAuthClientApp
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    [OutputType('ExchangeAuthTools.SignIn')]
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

        [Parameter(Mandatory = $true, ParameterSetName = 'Graph')]
        [switch]
        $FromGraph,

        [Parameter(Mandatory = $true, ParameterSetName = 'Graph')]
        [System.Security.SecureString]
        $AccessToken,

        [Parameter(ParameterSetName = 'Graph')]
        [ValidateNotNullOrEmpty()]
        [string]
        $GraphUrl,

        [Parameter(ParameterSetName = 'Graph')]
        [ValidateNotNullOrEmpty()]
        [string]
        $CheckpointPath,

        [ValidateRange(1, 100000)]
        [int]
        $BatchSize = 256
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
        if ($PSCmdlet.ParameterSetName -eq 'Graph') {
            Get-EatGraphSignIn -Cmdlet $PSCmdlet -BoundParameters $PSBoundParameters -BatchSize $BatchSize
            return
        }
        $parameters = ConvertTo-EatFilterParameter -Cmdlet $PSCmdlet -CommandName 'Get-LegacyAuthSignIn' -Paths $inputPaths.ToArray() -BoundParameters $PSBoundParameters
        if ($null -eq $parameters) {
            return
        }
        try {
            Invoke-EatJob -Operation 'scan' -Parameters $parameters -Cmdlet $PSCmdlet -BatchSize $BatchSize
        }
        catch {
            $PSCmdlet.ThrowTerminatingError((ConvertTo-EatErrorRecord -ErrorRecord $_))
        }
    }
}

function ConvertTo-EatFilterParameter {
    <#
    .SYNOPSIS
        The `scan` / `summary` request parameters (the crate's analysis::Filter) from a public
        command's bound parameters.
    .DESCRIPTION
        Returns nothing when there is no path to read (every path was reported as an error already, or
        the pipeline brought no input), so the caller just returns.
        -Since/-Until: a [datetime] of Kind Unspecified is local time, as Get-Date gives it; both are
        sent as UTC RFC 3339. -Since is inclusive, -Until exclusive. -UserPrincipalName takes `*`
        wildcards, case-insensitive. -Protocol takes protocol names (SMTP, IMAP, POP, ActiveSync,
        EWS, MAPI, ...) or clientAppUsed values; an unknown one is a terminating InvalidArgument error.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCmdlet]
        $Cmdlet,

        [Parameter(Mandatory = $true)]
        [string]
        $CommandName,

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [string[]]
        $Paths,

        # $PSBoundParameters (a Dictionary, not a Hashtable).
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $BoundParameters,

        # A live source (Graph, Log Analytics): no paths.
        [switch]
        $Live
    )

    $filter = @{ includeModern = [bool]$BoundParameters['IncludeModern'] }
    if (-not $Live) {
        if ($Paths.Count -eq 0) {
            Write-Verbose -Message (Get-EatString -Key 'NoInput')
            return
        }
        Write-Verbose -Message (Get-EatString -Key 'VerboseStart' -Values @{ operation = $CommandName; count = $Paths.Count })
        $filter['paths'] = $Paths
    }
    if ($BoundParameters.ContainsKey('Since') -and $BoundParameters.ContainsKey('Until') -and $BoundParameters['Since'] -ge $BoundParameters['Until']) {
        $message = Get-EatString -Key 'TimeRangeEmpty' -Values @{ since = $BoundParameters['Since'].ToString('o'); until = $BoundParameters['Until'].ToString('o') }
        $Cmdlet.ThrowTerminatingError((New-EatErrorRecord -Message $message -ErrorId 'TimeRangeEmpty' -Category InvalidArgument -TargetObject $BoundParameters['Until']))
    }
    foreach ($name in @('Since', 'Until')) {
        if ($BoundParameters.ContainsKey($name)) {
            $utc = ([datetime]$BoundParameters[$name]).ToUniversalTime()
            $filter[$name.ToLowerInvariant()] = $utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
        }
    }
    if ($BoundParameters.ContainsKey('UserPrincipalName')) {
        $filter['users'] = [string[]]$BoundParameters['UserPrincipalName']
    }
    if ($BoundParameters.ContainsKey('Protocol')) {
        $filter['protocols'] = [string[]]$BoundParameters['Protocol']
    }
    if ($BoundParameters.ContainsKey('Outcome')) {
        $filter['outcome'] = [string]$BoundParameters['Outcome']
    }
    $filter
}

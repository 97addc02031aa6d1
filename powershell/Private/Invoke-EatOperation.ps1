function ConvertTo-EatRequest {
    <#
    .SYNOPSIS
        The JSON request envelope {"op","params","lang"} the native library takes.
    .DESCRIPTION
        Depth 12: tenant inputs nest (params.policies[].conditions.users.excludeUsers[]) and
        ConvertTo-Json silently writes anything deeper than -Depth as its type name.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string]
        $Operation,

        [hashtable]
        $Parameters = @{},

        [string]
        $Language = (Get-EatLanguage)
    )

    ConvertTo-Json -InputObject @{ op = $Operation; params = $Parameters; lang = $Language } -Depth 12 -Compress
}

function Invoke-EatOperation {
    <#
    .SYNOPSIS
        Runs a one-shot operation of the native library (a row of the crate's ops::OPS table) and
        returns its result as objects (ConvertFrom-Json).
    .DESCRIPTION
        A failure throws the library's EatException; callers turn it into an ErrorRecord with
        ConvertTo-EatErrorRecord.
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param(
        [Parameter(Mandatory = $true)]
        [string]
        $Operation,

        [hashtable]
        $Parameters = @{},

        [string]
        $Language = (Get-EatLanguage)
    )

    $request = ConvertTo-EatRequest -Operation $Operation -Parameters $Parameters -Language $Language
    Write-Debug -Message ('eat_call {0}' -f (ConvertTo-EatRequest -Operation $Operation -Parameters (Hide-EatSecret -Parameters $Parameters) -Language $Language))
    $response = $script:EatNative.Call($request)
    ConvertFrom-Json -InputObject $response
}

function Hide-EatSecret {
    <#
    .SYNOPSIS
        A copy of request parameters safe to write to the debug stream: the access token (which
        the module passes from a SecureString only inside the request) replaced by a placeholder.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]
        $Parameters
    )

    $copy = $Parameters.Clone()
    foreach ($key in @($copy.Keys)) {
        if ($key -eq 'accessToken') {
            $copy[$key] = '<hidden>'
        }
    }
    $copy
}

function Get-EatGraphSignIn {
    <#
    .SYNOPSIS
        Get-LegacyAuthSignIn -FromGraph: the `fetch.graph` streaming op with the caller's filter.
    .DESCRIPTION
        The library filters by time, by user (exact UPNs, sent to Graph) and legacy-or-not;
        -Protocol, -Outcome and wildcard -UserPrincipalName are applied here to the typed records.
        The token's text exists only in the request hashtable for the start of the job.
    #>
    [CmdletBinding()]
    [OutputType('ExchangeAuthTools.SignIn')]
    param(
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCmdlet]
        $Cmdlet,

        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $BoundParameters,

        [int]
        $BatchSize = 256
    )

    $parameters = ConvertTo-EatFilterParameter -Cmdlet $Cmdlet -CommandName 'Get-LegacyAuthSignIn' -Paths @() -BoundParameters $BoundParameters -Live
    $protocols = @($parameters['protocols'] | Where-Object -FilterScript { $_ })
    $outcome = [string]$parameters['outcome']
    $users = @($parameters['users'] | Where-Object -FilterScript { $_ })
    foreach ($key in @('protocols', 'outcome', 'users')) {
        $parameters.Remove($key)
    }
    $wildcardUsers = @($users | Where-Object -FilterScript { [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($_) })
    if ($users.Count -gt 0 -and $wildcardUsers.Count -eq 0) {
        $parameters['users'] = [string[]]$users
    }
    if ($BoundParameters['GraphUrl']) {
        $parameters['graphUrl'] = [string]$BoundParameters['GraphUrl']
    }
    if ($BoundParameters['CheckpointPath']) {
        $parameters['resume'] = $Cmdlet.GetUnresolvedProviderPathFromPSPath([string]$BoundParameters['CheckpointPath'])
    }
    $parameters['accessToken'] = ConvertFrom-EatSecureString -SecureString $BoundParameters['AccessToken']
    try {
        Invoke-EatJob -Operation 'fetch.graph' -Parameters $parameters -Cmdlet $Cmdlet -BatchSize $BatchSize |
            Where-Object -FilterScript {
                $record = $_
                $keep = $true
                if ($protocols.Count -gt 0) {
                    $keep = @($protocols | Where-Object -FilterScript { $record.Protocol -eq $_ -or $record.ClientAppUsed -eq $_ }).Count -gt 0
                }
                if ($keep -and $outcome -eq 'Success') {
                    $keep = $record.Succeeded
                }
                if ($keep -and $outcome -eq 'Failure') {
                    $keep = -not $record.Succeeded
                }
                if ($keep -and $users.Count -gt 0) {
                    $keep = @($users | Where-Object -FilterScript { $record.UserPrincipalName -like $_ }).Count -gt 0
                }
                $keep
            }
    }
    catch {
        $Cmdlet.ThrowTerminatingError((ConvertTo-EatErrorRecord -ErrorRecord $_))
    }
    finally {
        $parameters['accessToken'] = $null
    }
}

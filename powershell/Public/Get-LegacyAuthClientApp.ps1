function Get-LegacyAuthClientApp {
    <#
    .SYNOPSIS
        The catalogue of Entra ID client-app values: legacy or not, the protocol behind each, the
        Conditional Access bucket that blocks it, the Exchange switches and what to migrate to.

    .DESCRIPTION
        Lists every clientAppUsed value Entra ID sign-in logs report, as ExchangeAuthTools.ClientApp
        objects. By Microsoft's rule only 'Browser' and 'Mobile Apps and Desktop clients' are modern
        authentication; every other value is legacy (Basic) authentication. AuthPolicySwitch is the
        New-AuthenticationPolicy switch that allows Basic for the protocol; MailboxSwitch is the
        Set-CASMailbox (or organisation) parameter that turns the protocol off; MigrateTo is the
        advice, in English or Japanese; Retirement lists Microsoft's retirement milestones for the
        protocol (date, event, source, and whether the date is verified).

    .PARAMETER Name
        Only the entries whose clientAppUsed value or protocol name matches. Wildcards are allowed.

    .PARAMETER LegacyOnly
        Only the legacy-authentication entries.

    .PARAMETER Culture
        Language of the MigrateTo advice: en-US or ja-JP (any ja culture). Default: the current UI culture.

    .EXAMPLE
        Get-LegacyAuthClientApp -LegacyOnly

        The legacy client apps and what to move each to.

    .EXAMPLE
        Get-LegacyAuthClientApp -Name *SMTP* -Culture ja-JP | Format-List

        The SMTP entry with the advice in Japanese.

    .EXAMPLE
        (Get-LegacyAuthClientApp -Name 'Authenticated SMTP').Retirement

        When Basic SMTP AUTH is switched off.

    .EXAMPLE
        Get-LegacyAuthClientApp -LegacyOnly | Where-Object -Property MailboxSwitch | Select-Object -Property ClientAppUsed, MailboxSwitch

        Which Set-CASMailbox parameter turns off each legacy protocol.

    .OUTPUTS
        ExchangeAuthTools.ClientApp

    .LINK
        https://github.com/exchange-auth-tools/exchange-auth-tools#powershell-module

    .LINK
        Get-LegacyAuthSignIn
    #>
    [CmdletBinding()]
    [OutputType('ExchangeAuthTools.ClientApp')]
    param(
        [Parameter(Position = 0)]
        [SupportsWildcards()]
        [ValidateNotNullOrEmpty()]
        [string[]]
        $Name,

        [switch]
        $LegacyOnly,

        [ValidateNotNullOrEmpty()]
        [string]
        $Culture = [System.Globalization.CultureInfo]::CurrentUICulture.Name
    )

    try {
        $rows = Invoke-EatOperation -Operation 'catalogue' -Language (Get-EatLanguage -Culture $Culture)
    }
    catch {
        $PSCmdlet.ThrowTerminatingError((ConvertTo-EatErrorRecord -ErrorRecord $_))
    }
    foreach ($app in (ConvertTo-EatClientApp -InputObject @($rows))) {
        if ($LegacyOnly -and -not $app.IsLegacy) {
            continue
        }
        if ($Name) {
            $matched = $false
            foreach ($pattern in $Name) {
                if ($app.ClientAppUsed -like $pattern -or $app.Protocol -like $pattern) {
                    $matched = $true
                }
            }
            if (-not $matched) {
                continue
            }
        }
        $app
    }
}

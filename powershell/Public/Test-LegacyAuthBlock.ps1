function Test-LegacyAuthBlock {
    <#
    .SYNOPSIS
        Tests whether legacy (Basic) authentication is blocked in the tenant, and for whom it is not:
        Conditional Access, Security Defaults and the Exchange Online organisation settings.

    .DESCRIPTION
        Reads the Conditional Access policies (Get-MgIdentityConditionalAccessPolicy objects,
        Invoke-MgGraphRequest results, or a JSON export of Graph identity/conditionalAccess/policies
        with -PolicyPath) and Security Defaults, and reports as ExchangeAuthTools.Finding objects:
        no policy blocking legacy authentication, a policy only in report-only mode, a policy that
        leaves out the Exchange ActiveSync or "Other clients" bucket, is scoped to some users or
        apps, or has exclusions; and, joined with usage (-Usage / -UsagePath), excluded users who
        still sign in with a legacy protocol and successes that happened although a block applied.
        With -TransportConfig / -OrganizationConfig the Exchange Online settings are checked too.

        Each finding has Severity, Id, Target, Setting, Current, Expected, Message, Why, Fix, Source
        and Verified. The overall verdict (Enforced, SecurityDefaults, ReportOnly, Partial or None)
        is written with -Verbose.

        Graph SDK objects use PascalCase property names; they are sent with Graph's camelCase names
        (Conditions.Users.ExcludeUsers becomes conditions.users.excludeUsers), so SDK objects,
        hashtables and exports all read the same.

    .PARAMETER Policy
        Conditional Access policy objects. Takes pipeline input. An empty pipeline means "the tenant
        has no Conditional Access policies".

    .PARAMETER PolicyPath
        A JSON file of Conditional Access policies (a Graph response {"value": [...]}, an array, or
        ConvertTo-Json output of Get-MgIdentityConditionalAccessPolicy).

    .PARAMETER SecurityDefaults
        $true or $false, or the Get-MgPolicyIdentitySecurityDefaultEnforcementPolicy object (its
        IsEnabled is read).

    .PARAMETER TransportConfig
        The Get-TransportConfig object (SmtpClientAuthenticationDisabled), or the path of an export of it.

    .PARAMETER OrganizationConfig
        The Get-OrganizationConfig object (DefaultAuthenticationPolicy), or the path of an export of it.

    .PARAMETER Usage
        ExchangeAuthTools.UsageSummary objects from Measure-LegacyAuthUsage, to find excluded users
        who still use legacy authentication.

    .PARAMETER UsagePath
        Sign-in log files or folders, or summary JSON files, for the same purpose. Wildcards are allowed.

    .EXAMPLE
        Connect-MgGraph -Scopes Policy.Read.All
        Get-MgIdentityConditionalAccessPolicy -All | Test-LegacyAuthBlock -UsagePath .\SignInLogs

        Is legacy authentication blocked, and who is excluded but still uses it.

    .EXAMPLE
        Test-LegacyAuthBlock -PolicyPath .\ca-policies.json -SecurityDefaults $false -Verbose | Format-List -Property Severity, Message, Fix

        The findings of a saved Graph export, with the verdict.

    .EXAMPLE
        Test-LegacyAuthBlock -PolicyPath .\ca-policies.json -Usage (Measure-LegacyAuthUsage .\logs) | Where-Object -Property Severity -In 'Critical', 'High' | Export-Csv -Path .\block-gaps.csv -NoTypeInformation -Encoding UTF8

        The serious gaps, for Excel.

    .INPUTS
        Conditional Access policy objects (Microsoft.Graph.PowerShell.Models.IMicrosoftGraphConditionalAccessPolicy, hashtables, PSCustomObject).

    .OUTPUTS
        ExchangeAuthTools.Finding

    .LINK
        https://github.com/exchange-auth-tools/exchange-auth-tools#powershell-module

    .LINK
        Get-LegacyProtocolExposure

    .LINK
        Export-LegacyAuthReport
    #>
    [CmdletBinding(DefaultParameterSetName = 'Object')]
    [OutputType('ExchangeAuthTools.Finding')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Object', ValueFromPipeline = $true)]
        [Alias('InputObject')]
        [AllowNull()]
        [AllowEmptyCollection()]
        [object[]]
        $Policy,

        [Parameter(Mandatory = $true, ParameterSetName = 'Path')]
        [ValidateNotNullOrEmpty()]
        [string]
        $PolicyPath,

        [object]
        $SecurityDefaults,

        [object]
        $TransportConfig,

        [object]
        $OrganizationConfig,

        [AllowEmptyCollection()]
        [object[]]
        $Usage,

        [SupportsWildcards()]
        [ValidateNotNullOrEmpty()]
        [string[]]
        $UsagePath
    )

    begin {
        $policies = New-Object -TypeName 'System.Collections.Generic.List[object]'
    }

    process {
        foreach ($item in @($Policy | Where-Object -FilterScript { $null -ne $_ })) {
            $policies.Add($item)
        }
    }

    end {
        $inputs = Copy-EatBoundParameter -BoundParameters $PSBoundParameters
        $inputs['Policy'] = $policies.ToArray()
        $parameters = ConvertTo-EatTenantParameter -Cmdlet $PSCmdlet -Inputs $inputs
        if ($PSCmdlet.ParameterSetName -eq 'Object' -and -not $parameters.ContainsKey('policies')) {
            # Policies were asked for and none came: the tenant has none (not "unknown").
            $parameters['policies'] = @()
        }
        $result = Invoke-EatTenantOperation -Cmdlet $PSCmdlet -Operation 'guardrails' -Parameters $parameters
        Write-Verbose -Message (Get-EatString -Key 'BlockVerdict' -Values @{
                verdict          = $result.verdict
                policies         = @($result.policies).Count
                securityDefaults = $result.securityDefaultsEnabled
            })
        ConvertTo-EatFinding -InputObject @($result.findings)
    }
}

# Tenant inputs (Exchange Online and Entra ID objects, usage rows, findings) as the JSON the
# `exposure`, `guardrails` and `report` ops take (the crate's ops::report::TenantParams).
# Objects from the pipeline are reduced to the documented properties they need, values kept as
# JSON understands them (booleans and $null stay booleans and null: $null on a CAS mailbox means
# "inherit the organisation setting", which is not the same as $false).

# Identity properties every Exchange object is matched by (mailbox <-> user <-> sign-in UPN).
$script:EatIdentityProperties = @(
    'Identity', 'Name', 'DisplayName', 'DistinguishedName', 'Guid', 'ExternalDirectoryObjectId',
    'UserPrincipalName', 'PrimarySmtpAddress', 'WindowsEmailAddress', 'EmailAddresses'
)

# Per input: the op's parameter name, the properties kept (wildcards allowed). Protocol switches
# are taken by pattern so that a switch the library learns later is passed on without a change here.
$script:EatTenantInputs = @(
    , @('mailboxes', @('*Enabled', '*Disabled'))
    , @('authPolicies', @('AllowBasicAuth*'))
    , @('users', @('AuthenticationPolicy'))
    , @('transportConfig', @('SmtpClientAuthenticationDisabled'))
    , @('orgConfig', @('DefaultAuthenticationPolicy', '*Enabled'))
)

function ConvertTo-EatJsonValue {
    <#
    .SYNOPSIS
        A value from any PowerShell object as plain JSON data (hashtables, arrays, strings, numbers,
        booleans, $null), nested objects to -Depth.
    .DESCRIPTION
        Dictionaries (Invoke-MgGraphRequest) and objects (Graph SDK, ConvertFrom-Json, deserialized
        EXO objects) become hashtables; with -CamelCase their property names start lower-case, as
        Graph's JSON names do (the SDK's Conditions.Users.IncludeUsers is conditions.users.includeUsers);
        the SDK's AdditionalProperties bag is merged in. [datetime] becomes UTC RFC 3339 text; enums
        and anything else (ADObjectId, ProxyAddress) their text.
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param(
        [AllowNull()]
        [object]
        $Value,

        [int]
        $Depth = 6,

        [switch]
        $CamelCase
    )

    if ($null -eq $Value) {
        return $null
    }
    if ($Value -is [psobject] -and $Value.PSObject.BaseObject -isnot [System.Management.Automation.PSCustomObject]) {
        $Value = $Value.PSObject.BaseObject
    }
    if ($Value -is [string] -or $Value -is [bool] -or $Value -is [int] -or $Value -is [long] -or $Value -is [double] -or $Value -is [decimal]) {
        return $Value
    }
    if ($Value -is [System.DateTimeOffset]) {
        $Value = $Value.UtcDateTime
    }
    if ($Value -is [datetime]) {
        return $Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
    }
    if ($Value -is [enum] -or $Value -is [guid] -or $Depth -le 0) {
        return $Value.ToString()
    }
    if ($Value -is [System.Collections.IEnumerable] -and $Value -isnot [System.Collections.IDictionary]) {
        $items = @(foreach ($item in $Value) {
                ConvertTo-EatJsonValue -Value $item -Depth ($Depth - 1) -CamelCase:$CamelCase
            })
        return , $items
    }
    $pairs = @(Get-EatPropertyPair -InputObject $Value)
    if ($pairs.Count -eq 0 -and $Value -isnot [System.Collections.IDictionary]) {
        return $Value.ToString()
    }
    $table = @{}
    foreach ($pair in $pairs) {
        $table[(ConvertTo-EatJsonName -Name $pair[0] -CamelCase:$CamelCase)] = ConvertTo-EatJsonValue -Value $pair[1] -Depth ($Depth - 1) -CamelCase:$CamelCase
    }
    $table
}

function Get-EatPropertyPair {
    # The (name, value) pairs of a dictionary's entries or an object's properties, each pair one
    # pipeline item. The Graph SDK's AdditionalProperties bag is opened into its entries.
    param(
        [object]
        $InputObject
    )

    if ($InputObject -is [System.Collections.IDictionary]) {
        foreach ($key in $InputObject.Keys) {
            , @([string]$key, $InputObject[$key])
        }
        return
    }
    foreach ($property in $InputObject.PSObject.Properties) {
        if ($property.MemberType -notmatch 'Property') {
            continue
        }
        if ($property.Name -eq 'AdditionalProperties' -and $property.Value -is [System.Collections.IDictionary]) {
            Get-EatPropertyPair -InputObject $property.Value
            continue
        }
        , @($property.Name, $property.Value)
    }
}

function ConvertTo-EatJsonName {
    # Graph's JSON spelling of a property name (the SDK's PascalCase with a lower-case first letter).
    param(
        [string]
        $Name,

        [switch]
        $CamelCase
    )

    if ($CamelCase -and $Name.Length -gt 0) {
        return $Name.Substring(0, 1).ToLowerInvariant() + $Name.Substring(1)
    }
    $Name
}

function Select-EatObjectProperty {
    <#
    .SYNOPSIS
        The named properties (wildcards allowed) of each object as a hashtable, values converted by
        ConvertTo-EatJsonValue. Properties the object does not have are left out (the library tells
        "not exported" from $null).
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]]
        $InputObject,

        [Parameter(Mandatory = $true)]
        [string[]]
        $Property
    )

    foreach ($object in $InputObject) {
        if ($null -eq $object) {
            continue
        }
        $table = @{}
        $pairs = @(Get-EatPropertyPair -InputObject $object)
        foreach ($pair in $pairs) {
            foreach ($pattern in $Property) {
                if ($pair[0] -like $pattern) {
                    $table[$pair[0]] = ConvertTo-EatJsonValue -Value $pair[1] -Depth 2
                    break
                }
            }
        }
        $table
    }
}

function ConvertFrom-EatTypedObject {
    <#
    .SYNOPSIS
        The library's JSON of typed module objects (the reverse of ConvertTo-EatTypedObject): each
        schema property under its JSON name, times as UTC RFC 3339, days as yyyy-MM-dd.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]]
        $InputObject,

        [Parameter(Mandatory = $true)]
        [object[]]
        $Schema
    )

    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    foreach ($object in $InputObject) {
        $table = @{}
        foreach ($column in $Schema) {
            $value = $null
            $property = $object.PSObject.Properties[$column[0]]
            if ($null -ne $property) {
                $value = $property.Value
            }
            $kind = $column[2]
            if (@('datetime', 'date') -contains $kind -and $value -is [string] -and $value.Length -eq 0) {
                # Import-Csv gives '' for an empty time or day.
                $value = $null
            }
            if ($kind -eq 'datetime') {
                if ($null -ne $value) {
                    $value = ([datetime]$value).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", $invariant)
                }
            }
            elseif ($kind -eq 'date') {
                if ($null -eq $value) {
                    $value = ''
                }
                else {
                    $value = ([datetime]$value).ToString('yyyy-MM-dd', $invariant)
                }
            }
            elseif ($kind -eq 'string') {
                $value = [string]$value
            }
            elseif (@('strings', 'ints', 'objects') -contains $kind) {
                $value = @($value | Where-Object -FilterScript { $null -ne $_ } | ForEach-Object -Process { ConvertTo-EatJsonValue -Value $_ -Depth 3 })
            }
            else {
                $value = ConvertTo-EatJsonValue -Value $value -Depth 3
            }
            $table[$column[1]] = $value
        }
        $table
    }
}

function Resolve-EatSinglePath {
    # One existing file-system path (relative to the PowerShell location) for a -*Path parameter,
    # or a terminating ObjectNotFound error through the calling cmdlet.
    param(
        [System.Management.Automation.PSCmdlet]
        $Cmdlet,

        [string]
        $Path
    )

    $full = $Cmdlet.GetUnresolvedProviderPathFromPSPath($Path)
    if (-not (Test-Path -LiteralPath $full -PathType Leaf)) {
        $message = Get-EatString -Key 'PathNotFound' -Values @{ path = $Path }
        $Cmdlet.ThrowTerminatingError((New-EatErrorRecord -Message $message -ErrorId 'PathNotFound' -Category ObjectNotFound -TargetObject $Path))
    }
    $full
}

function ConvertTo-EatTenantParameter {
    <#
    .SYNOPSIS
        The `exposure` / `guardrails` / `report` request parameters from a public command's inputs.
    .DESCRIPTION
        -Mailbox, -AuthenticationPolicy, -User, -TransportConfig and -OrganizationConfig: Exchange
        objects (documented properties kept) or one path of an Export-Csv / ConvertTo-Json file.
        -Policy: Conditional Access policies (Graph SDK objects, Invoke-MgGraphRequest hashtables or
        ConvertFrom-Json objects) converted whole with Graph's camelCase names; -PolicyPath a file.
        -SecurityDefaults: $true/$false or the Get-MgPolicyIdentitySecurityDefaultEnforcementPolicy
        object. -Usage: ExchangeAuthTools.UsageSummary objects sent back as summary rows;
        -UsagePath: sign-in files or summary JSON. -Finding: ExchangeAuthTools.Finding objects.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCmdlet]
        $Cmdlet,

        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $Inputs
    )

    $parameters = @{}
    $byParameter = @{
        mailboxes       = 'Mailbox'
        authPolicies    = 'AuthenticationPolicy'
        users           = 'User'
        transportConfig = 'TransportConfig'
        orgConfig       = 'OrganizationConfig'
    }
    foreach ($row in $script:EatTenantInputs) {
        $values = @($Inputs[$byParameter[$row[0]]] | Where-Object -FilterScript { $null -ne $_ })
        if ($values.Count -eq 0) {
            continue
        }
        if ($values.Count -eq 1 -and $values[0] -is [System.IO.FileInfo]) {
            $parameters[$row[0]] = $values[0].FullName
            continue
        }
        if ($values.Count -eq 1 -and $values[0] -is [string]) {
            $parameters[$row[0]] = Resolve-EatSinglePath -Cmdlet $Cmdlet -Path $values[0]
            continue
        }
        $parameters[$row[0]] = @(Select-EatObjectProperty -InputObject $values -Property ($script:EatIdentityProperties + $row[1]))
    }
    if ($Inputs['MailboxPath']) {
        $parameters['mailboxes'] = Resolve-EatSinglePath -Cmdlet $Cmdlet -Path $Inputs['MailboxPath']
    }
    if ($Inputs['PolicyPath']) {
        $parameters['policies'] = Resolve-EatSinglePath -Cmdlet $Cmdlet -Path $Inputs['PolicyPath']
    }
    $policies = @($Inputs['Policy'] | Where-Object -FilterScript { $null -ne $_ })
    if ($policies.Count -gt 0) {
        $parameters['policies'] = @(foreach ($policy in $policies) {
                ConvertTo-EatJsonValue -Value $policy -Depth 6 -CamelCase
            })
    }
    if ($null -ne $Inputs['SecurityDefaults']) {
        $securityDefaults = $Inputs['SecurityDefaults']
        if ($securityDefaults -is [bool] -or $securityDefaults -is [System.Management.Automation.SwitchParameter]) {
            $parameters['securityDefaults'] = @{ isEnabled = [bool]$securityDefaults }
        }
        else {
            $parameters['securityDefaults'] = ConvertTo-EatJsonValue -Value $securityDefaults -Depth 3 -CamelCase
        }
    }
    $usage = @($Inputs['Usage'] | Where-Object -FilterScript { $null -ne $_ })
    if ($Inputs.Contains('Usage')) {
        # An empty -Usage @() is an answer ("no legacy sign-ins"), not a missing input.
        $parameters['usageRows'] = @(ConvertFrom-EatTypedObject -InputObject $usage -Schema $script:EatUsageSummarySchema)
    }
    if ($Inputs['UsagePath']) {
        # Wildcards allowed; a path that matches nothing is a non-terminating error (the rest is read).
        $parameters['usage'] = @(Resolve-EatInputPath -Cmdlet $Cmdlet -Path $Inputs['UsagePath'])
    }
    $findings = @($Inputs['Finding'] | Where-Object -FilterScript { $null -ne $_ })
    if ($findings.Count -gt 0) {
        $parameters['findings'] = @(ConvertFrom-EatTypedObject -InputObject $findings -Schema $script:EatFindingSchema)
    }
    if ($Inputs.Contains('UnusedDays')) {
        $parameters['unusedDays'] = [int]$Inputs['UnusedDays']
    }
    $parameters
}

function Copy-EatBoundParameter {
    # $PSBoundParameters as a plain hashtable the caller may change (replace pipeline-collected
    # inputs, add defaults) without touching the binding.
    param(
        [System.Collections.IDictionary]
        $BoundParameters
    )

    $copy = @{}
    foreach ($key in $BoundParameters.Keys) {
        $copy[$key] = $BoundParameters[$key]
    }
    $copy
}

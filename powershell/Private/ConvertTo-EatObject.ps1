# Typed output objects. Each schema row is: PowerShell property name, JSON name (the crate's
# camelCase), kind. Kinds: string, int, long, bool, nullablebool, datetime (UTC [datetime] or
# $null), date (a yyyy-MM-dd day as a UTC [datetime] or $null), strings ([string[]]), ints ([int[]]),
# objects (nested JSON objects kept as they came, e.g. retirement milestones {date, event, source,
# verified} whose date may be a month or a half year such as 2027-H2), object (one nested JSON
# object or $null, kept as it came), scalar (a JSON number, text, boolean or null, kept as it came).
# Typed properties make Where-Object, Sort-Object, Group-Object, Measure-Object and Export-Csv
# behave as an admin expects (dates sort as dates, counts as numbers).

$script:EatSignInSchema = @(
    , @('CreatedDateTime', 'createdDateTime', 'datetime')
    , @('UserPrincipalName', 'userPrincipalName', 'string')
    , @('UserDisplayName', 'userDisplayName', 'string')
    , @('UserId', 'userId', 'string')
    , @('ClientAppUsed', 'clientAppUsed', 'string')
    , @('Protocol', 'protocol', 'string')
    , @('IsLegacy', 'isLegacy', 'bool')
    , @('Succeeded', 'succeeded', 'bool')
    , @('ErrorCode', 'errorCode', 'int')
    , @('FailureReason', 'failureReason', 'string')
    , @('AppDisplayName', 'appDisplayName', 'string')
    , @('AppId', 'appId', 'string')
    , @('ResourceDisplayName', 'resourceDisplayName', 'string')
    , @('IPAddress', 'ipAddress', 'string')
    , @('City', 'city', 'string')
    , @('State', 'state', 'string')
    , @('CountryOrRegion', 'countryOrRegion', 'string')
    , @('IsInteractive', 'isInteractive', 'nullablebool')
    , @('SignInEventType', 'signInEventType', 'string')
    , @('AuthenticationProtocol', 'authenticationProtocol', 'string')
    , @('IsRopc', 'isRopc', 'bool')
    , @('UserAgent', 'userAgent', 'string')
    , @('CorrelationId', 'correlationId', 'string')
    , @('Id', 'id', 'string')
    , @('SourceFile', 'sourceFile', 'string')
    , @('SourceLine', 'sourceLine', 'long')
    , @('SourceRecord', 'sourceRecord', 'long')
)

$script:EatUsageSummarySchema = @(
    , @('GroupBy', 'groupBy', 'string')
    , @('Key', 'key', 'string')
    , @('UserPrincipalName', 'userPrincipalName', 'string')
    , @('ClientAppUsed', 'clientAppUsed', 'string')
    , @('Protocol', 'protocol', 'string')
    , @('AppDisplayName', 'appDisplayName', 'string')
    , @('IPAddress', 'ipAddress', 'string')
    , @('CountryOrRegion', 'countryOrRegion', 'string')
    , @('Day', 'day', 'date')
    , @('Total', 'total', 'long')
    , @('Succeeded', 'succeeded', 'long')
    , @('Failed', 'failed', 'long')
    , @('FirstSeen', 'firstSeen', 'datetime')
    , @('LastSeen', 'lastSeen', 'datetime')
    , @('LastSuccess', 'lastSuccess', 'datetime')
    , @('DistinctIPCount', 'distinctIpCount', 'long')
    , @('DistinctUserCount', 'distinctUserCount', 'long')
    , @('Interactive', 'interactive', 'long')
    , @('NonInteractive', 'nonInteractive', 'long')
    , @('Ropc', 'ropc', 'long')
    , @('SprayIPCount', 'sprayIpCount', 'long')
    , @('Assessment', 'assessment', 'string')
    , @('Countries', 'countries', 'strings')
    , @('UserAgents', 'userAgents', 'strings')
    , @('Apps', 'apps', 'strings')
    , @('Protocols', 'protocols', 'strings')
    , @('ErrorCodes', 'errorCodes', 'ints')
)

$script:EatClientAppSchema = @(
    , @('ClientAppUsed', 'clientAppUsed', 'string')
    , @('Protocol', 'protocol', 'string')
    , @('IsLegacy', 'isLegacy', 'bool')
    , @('ConditionalAccessBucket', 'conditionalAccessBucket', 'string')
    , @('AuthPolicySwitch', 'authPolicySwitch', 'string')
    , @('MailboxSwitch', 'mailboxSwitch', 'string')
    , @('MigrateTo', 'migrateTo', 'string')
    , @('Retirement', 'retirement', 'objects')
)

$script:EatSprayIpSchema = @(
    , @('IPAddress', 'ipAddress', 'string')
    , @('TargetedUserCount', 'targetedUserCount', 'long')
    , @('Failures', 'failures', 'long')
    , @('FirstSeen', 'firstSeen', 'datetime')
    , @('LastSeen', 'lastSeen', 'datetime')
    , @('CompromisedUsers', 'compromisedUsers', 'strings')
)

# A finding (the crate's findings::Finding): one thing to fix, with why, how and the source.
$script:EatFindingSchema = @(
    , @('Severity', 'severity', 'string')
    , @('Id', 'id', 'string')
    , @('Target', 'target', 'string')
    , @('Setting', 'setting', 'string')
    , @('Current', 'current', 'string')
    , @('Expected', 'expected', 'string')
    , @('Message', 'message', 'string')
    , @('Why', 'why', 'string')
    , @('Fix', 'fix', 'string')
    , @('Source', 'source', 'string')
    , @('Verified', 'verified', 'bool')
    , @('Context', 'context', 'object')
)

# One mailbox of the `exposure` op (report.mailboxes[]).
$script:EatMailboxExposureSchema = @(
    , @('Identity', 'identity', 'string')
    , @('UserPrincipalName', 'userPrincipalName', 'string')
    , @('DisplayName', 'displayName', 'string')
    , @('Recommendation', 'recommendation', 'string')
    , @('Severity', 'severity', 'string')
    , @('AuthenticationPolicy', 'authenticationPolicy', 'string')
    , @('Protocols', 'protocols', 'objects')
    , @('Commands', 'commands', 'objects')
)

# One protocol of one mailbox (report.mailboxes[].protocols[]); Usage is the user x protocol
# usage {total, succeeded, failed, lastSeen, lastSuccess, assessment, ...} or $null (none seen).
$script:EatProtocolExposureSchema = @(
    , @('Protocol', 'protocol', 'string')
    , @('Setting', 'setting', 'string')
    , @('Enabled', 'enabled', 'nullablebool')
    , @('EnabledSource', 'enabledSource', 'string')
    , @('BasicBlockedByPolicy', 'basicBlockedByPolicy', 'bool')
    , @('CoveredByTenant', 'coveredByTenant', 'bool')
    , @('Recommendation', 'recommendation', 'string')
    , @('Severity', 'severity', 'string')
    , @('Reason', 'reason', 'string')
    , @('MigrateTo', 'migrateTo', 'string')
    , @('Deadlines', 'deadlines', 'string')
    , @('Usage', 'usage', 'object')
    , @('Client', 'client', 'object')
)

# One reviewable command (report.mailboxes[].commands[] and report.tenantCommands[]): Command is
# the -WhatIf text; Parameters the {name, value, literal} rows (value $null when literal is an
# expression such as ([DateTime]::UtcNow)).
$script:EatRemediationCommandSchema = @(
    , @('Phase', 'phase', 'string')
    , @('Target', 'target', 'string')
    , @('Cmdlet', 'cmdlet', 'string')
    , @('Reason', 'reason', 'string')
    , @('Command', 'command', 'string')
    , @('Parameters', 'parameters', 'objects')
)

# One registry value the Outlook modern-auth fix sets or deletes (registry.fix changes[]): Key is
# the PowerShell path (HKCU:\... or Registry::HKEY_USERS\<SID>\...), Action set or delete, Value a
# DWORD number or text ($null for delete).
$script:EatRegistryChangeSchema = @(
    , @('Key', 'key', 'string')
    , @('Name', 'name', 'string')
    , @('Type', 'type', 'string')
    , @('Value', 'value', 'scalar')
    , @('Action', 'action', 'string')
)

function ConvertTo-EatUtcDateTime {
    # A JSON time (RFC 3339 text, or the [datetime] that PowerShell 7's ConvertFrom-Json already
    # made of it) as a UTC [datetime]; $null for null or empty. A plain function on purpose: it runs
    # once per time property of every record.
    param(
        [AllowNull()]
        [object]
        $Value,

        [System.Globalization.CultureInfo]
        $Culture,

        [System.Globalization.DateTimeStyles]
        $Styles
    )

    if ($null -eq $Value -or ($Value -is [string] -and $Value.Length -eq 0)) {
        return $null
    }
    if ($Value -is [datetime]) {
        if ($Value.Kind -eq [System.DateTimeKind]::Utc) {
            return $Value
        }
        return $Value.ToUniversalTime()
    }
    [datetime]::Parse([string]$Value, $Culture, $Styles)
}

function ConvertTo-EatTypedObject {
    <#
    .SYNOPSIS
        PSCustomObjects with a PSTypeName and typed properties from JSON objects and a schema.
    .DESCRIPTION
        Takes a whole batch in one call and reads properties inline: an advanced-function call per
        property would cost more than the native library's whole parse of the record.
    #>
    [CmdletBinding()]
    [OutputType([psobject])]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]]
        $InputObject,

        [Parameter(Mandatory = $true)]
        [string]
        $TypeName,

        [Parameter(Mandatory = $true)]
        [object[]]
        $Schema
    )

    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    $utcStyles = [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal
    foreach ($json in $InputObject) {
        $properties = [ordered]@{}
        foreach ($column in $Schema) {
            $value = $null
            $property = $json.PSObject.Properties[$column[1]]
            if ($null -ne $property) {
                $value = $property.Value
            }
            switch ($column[2]) {
                'string' {
                    if ($null -eq $value) {
                        $value = ''
                    }
                    $value = [string]$value
                }
                'int' {
                    $value = [int]$value
                }
                'long' {
                    $value = [long]$value
                }
                'bool' {
                    $value = [bool]$value
                }
                'nullablebool' {
                    if ($null -ne $value) {
                        $value = [bool]$value
                    }
                }
                'datetime' {
                    $value = ConvertTo-EatUtcDateTime -Value $value -Culture $invariant -Styles $utcStyles
                }
                'date' {
                    $value = ConvertTo-EatUtcDateTime -Value $value -Culture $invariant -Styles $utcStyles
                    if ($null -ne $value) {
                        $value = $value.Date
                    }
                }
                'strings' {
                    $value = [string[]]@($value | Where-Object -FilterScript { $null -ne $_ })
                }
                'ints' {
                    $value = [int[]]@($value | Where-Object -FilterScript { $null -ne $_ })
                }
                'objects' {
                    # @() also for a JSON null, so that .Count and foreach work without a check.
                    $value = [object[]]@($value | Where-Object -FilterScript { $null -ne $_ })
                }
                'object' {
                }
                'scalar' {
                }
                default {
                    throw ('schema kind {0} is not known' -f $column[2])
                }
            }
            $properties[$column[0]] = $value
        }
        $object = [pscustomobject]$properties
        $object.PSObject.TypeNames.Insert(0, $TypeName)
        $object
    }
}

function ConvertTo-EatSignIn {
    <#
    .SYNOPSIS
        Sign-in records from the library as ExchangeAuthTools.SignIn objects.
    #>
    [CmdletBinding()]
    [OutputType('ExchangeAuthTools.SignIn')]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]]
        $InputObject
    )

    ConvertTo-EatTypedObject -InputObject $InputObject -TypeName 'ExchangeAuthTools.SignIn' -Schema $script:EatSignInSchema
}

function ConvertTo-EatUsageSummary {
    <#
    .SYNOPSIS
        Summary rows from the library as ExchangeAuthTools.UsageSummary objects, with IsAttack.
    #>
    [CmdletBinding()]
    [OutputType('ExchangeAuthTools.UsageSummary')]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]]
        $InputObject
    )

    foreach ($row in (ConvertTo-EatTypedObject -InputObject $InputObject -TypeName 'ExchangeAuthTools.UsageSummary' -Schema $script:EatUsageSummarySchema)) {
        # Attack rows are to block, not to migrate (see the crate's analysis::spray).
        $isAttack = @('PasswordSpray', 'BruteForce', 'CompromiseSuspected') -contains $row.Assessment
        Add-Member -InputObject $row -MemberType NoteProperty -Name 'IsAttack' -Value $isAttack
        $row
    }
}

function ConvertTo-EatClientApp {
    <#
    .SYNOPSIS
        Catalogue rows from the library as ExchangeAuthTools.ClientApp objects.
    #>
    [CmdletBinding()]
    [OutputType('ExchangeAuthTools.ClientApp')]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]]
        $InputObject
    )

    ConvertTo-EatTypedObject -InputObject $InputObject -TypeName 'ExchangeAuthTools.ClientApp' -Schema $script:EatClientAppSchema
}

function ConvertTo-EatSprayIp {
    <#
    .SYNOPSIS
        Detected password-spray sources from the library as ExchangeAuthTools.SprayIp objects.
    #>
    [CmdletBinding()]
    [OutputType('ExchangeAuthTools.SprayIp')]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]]
        $InputObject
    )

    ConvertTo-EatTypedObject -InputObject $InputObject -TypeName 'ExchangeAuthTools.SprayIp' -Schema $script:EatSprayIpSchema
}

function ConvertTo-EatProblemRecord {
    <#
    .SYNOPSIS
        A problem the library reported (a record or file it could not read) as a non-terminating
        ErrorRecord: id ExchangeAuthTools.<code>, the file as target, file:line: in the message.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory = $true)]
        [object]
        $InputObject
    )

    $file = [string](Get-EatJsonValue -InputObject $InputObject -Name 'file')
    $code = [string](Get-EatJsonValue -InputObject $InputObject -Name 'code')
    $category = [System.Management.Automation.ErrorCategory]::InvalidData
    if (@('unreadable', 'bad_archive') -contains $code) {
        $category = [System.Management.Automation.ErrorCategory]::ReadError
    }
    # 'text' is the library's own 'file:line: record N: message', in the session's language.
    $message = [string](Get-EatJsonValue -InputObject $InputObject -Name 'text')
    New-EatErrorRecord -Message $message -ErrorId $code -Category $category -TargetObject $file
}

function ConvertTo-EatFinding {
    <#
    .SYNOPSIS
        Findings from the library as ExchangeAuthTools.Finding objects.
    #>
    [CmdletBinding()]
    [OutputType('ExchangeAuthTools.Finding')]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]]
        $InputObject
    )

    ConvertTo-EatTypedObject -InputObject $InputObject -TypeName 'ExchangeAuthTools.Finding' -Schema $script:EatFindingSchema
}

function ConvertTo-EatRemediationCommand {
    <#
    .SYNOPSIS
        Reviewable commands from the library as ExchangeAuthTools.RemediationCommand objects.
    #>
    [CmdletBinding()]
    [OutputType('ExchangeAuthTools.RemediationCommand')]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]]
        $InputObject
    )

    ConvertTo-EatTypedObject -InputObject $InputObject -TypeName 'ExchangeAuthTools.RemediationCommand' -Schema $script:EatRemediationCommandSchema
}

function ConvertTo-EatMailboxExposure {
    <#
    .SYNOPSIS
        Mailboxes of the `exposure` op as ExchangeAuthTools.MailboxExposure objects whose Protocols
        are ExchangeAuthTools.ProtocolExposure and Commands ExchangeAuthTools.RemediationCommand.
    .DESCRIPTION
        Adds OpenProtocols (the protocols enabled on the mailbox) and UsedProtocols (those with
        legacy sign-ins in the usage) so that Where-Object and Export-Csv need no nested access.
    #>
    [CmdletBinding()]
    [OutputType('ExchangeAuthTools.MailboxExposure')]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]]
        $InputObject
    )

    foreach ($mailbox in (ConvertTo-EatTypedObject -InputObject $InputObject -TypeName 'ExchangeAuthTools.MailboxExposure' -Schema $script:EatMailboxExposureSchema)) {
        $protocols = @(ConvertTo-EatTypedObject -InputObject @($mailbox.Protocols) -TypeName 'ExchangeAuthTools.ProtocolExposure' -Schema $script:EatProtocolExposureSchema)
        foreach ($protocol in $protocols) {
            Add-Member -InputObject $protocol -MemberType NoteProperty -Name 'Identity' -Value $mailbox.Identity
        }
        $mailbox.Protocols = $protocols
        $mailbox.Commands = @(ConvertTo-EatRemediationCommand -InputObject @($mailbox.Commands))
        $open = [string[]]@($protocols | Where-Object -FilterScript { $_.Enabled -eq $true } | ForEach-Object -Process { $_.Protocol })
        $used = [string[]]@($protocols | Where-Object -FilterScript { $null -ne $_.Usage -and $_.Usage.total -gt 0 } | ForEach-Object -Process { $_.Protocol })
        Add-Member -InputObject $mailbox -MemberType NoteProperty -Name 'OpenProtocols' -Value $open
        Add-Member -InputObject $mailbox -MemberType NoteProperty -Name 'UsedProtocols' -Value $used
        $mailbox
    }
}

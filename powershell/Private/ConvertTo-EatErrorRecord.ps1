function ConvertTo-EatErrorRecord {
    <#
    .SYNOPSIS
        Turns a failure of the native library into an ErrorRecord; any other error is returned as it was.
    .DESCRIPTION
        The library's JSON error body {"code","category","message","target","file","line"} becomes an
        ErrorRecord with FullyQualifiedErrorId ExchangeAuthTools.<code>, the ErrorCategory named by
        `category`, TargetObject = target (a file, a parameter) and the EatException as inner exception.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.ErrorRecord]
        $ErrorRecord
    )

    $native = $ErrorRecord.Exception
    while ($null -ne $native -and $native.GetType().FullName -ne 'ExchangeAuthTools.Native.V1.EatException') {
        $native = $native.InnerException
    }
    if ($null -eq $native) {
        return $ErrorRecord
    }
    $body = ConvertFrom-Json -InputObject $native.ErrorJson
    try {
        $category = [System.Management.Automation.ErrorCategory][string]$body.category
    }
    catch {
        $category = [System.Management.Automation.ErrorCategory]::NotSpecified
    }
    $message = [string]$body.message
    $file = Get-EatJsonValue -InputObject $body -Name 'file'
    $line = Get-EatJsonValue -InputObject $body -Name 'line'
    if ($file -and -not $message.Contains([string]$file)) {
        if ($line) {
            $message = '{0}:{1}: {2}' -f $file, $line, $message
        }
        else {
            $message = '{0}: {1}' -f $file, $message
        }
    }
    New-EatErrorRecord -Message $message -ErrorId ([string]$body.code) -Category $category -TargetObject (Get-EatJsonValue -InputObject $body -Name 'target') -InnerException $native
}

function Get-EatJsonValue {
    <#
    .SYNOPSIS
        A property of a ConvertFrom-Json object, or $null when the JSON did not have it (StrictMode-safe).
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param(
        [Parameter(Mandatory = $true)]
        [AllowNull()]
        [object]
        $InputObject,

        [Parameter(Mandatory = $true)]
        [string]
        $Name
    )

    if ($null -eq $InputObject) {
        return $null
    }
    $property = $InputObject.PSObject.Properties[$Name]
    if ($null -eq $property) {
        return $null
    }
    $property.Value
}

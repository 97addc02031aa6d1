function New-EatErrorRecord {
    <#
    .SYNOPSIS
        An ErrorRecord with a stable FullyQualifiedErrorId (ExchangeAuthTools.<Id>), a category and a
        target, keeping the inner exception (unlike Microsoft.PowerShell.Archive's helper).
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory = $true)]
        [string]
        $Message,

        [Parameter(Mandatory = $true)]
        [string]
        $ErrorId,

        [System.Management.Automation.ErrorCategory]
        $Category = [System.Management.Automation.ErrorCategory]::NotSpecified,

        [object]
        $TargetObject,

        [System.Exception]
        $InnerException
    )

    switch ($Category) {
        'ReadError' {
            $typeName = 'System.IO.IOException'
        }
        'InvalidArgument' {
            $typeName = 'System.ArgumentException'
        }
        'ObjectNotFound' {
            $typeName = 'System.Management.Automation.ItemNotFoundException'
        }
        'OperationStopped' {
            $typeName = 'System.OperationCanceledException'
        }
        default {
            $typeName = 'System.InvalidOperationException'
        }
    }
    # Only (string) or (string, Exception): a $null second argument would make the overload ambiguous.
    $arguments = @($Message)
    if ($null -ne $InnerException) {
        $arguments += $InnerException
    }
    $exception = New-Object -TypeName $typeName -ArgumentList $arguments
    New-Object -TypeName 'System.Management.Automation.ErrorRecord' -ArgumentList @(
        $exception
        ('ExchangeAuthTools.' + $ErrorId)
        $Category
        $TargetObject
    )
}

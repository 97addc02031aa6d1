function ConvertFrom-EatSecureString {
    <#
    .SYNOPSIS
        The plain text of a SecureString (an access token), for the one request that needs it.
    .DESCRIPTION
        The BSTR copy is zeroed and freed at once. Callers put the text only into the request
        parameters, never into a stream (debug output goes through Hide-EatSecret), and drop it
        after the call.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [System.Security.SecureString]
        $SecureString
    )

    $bstr = [System.Runtime.InteropServices.Marshal]::SecureStringToBSTR($SecureString)
    try {
        [System.Runtime.InteropServices.Marshal]::PtrToStringBSTR($bstr)
    }
    finally {
        [System.Runtime.InteropServices.Marshal]::ZeroFreeBSTR($bstr)
    }
}

function Get-EatString {
    <#
    .SYNOPSIS
        A module message in the current UI culture, with {name} placeholders filled in.
    .DESCRIPTION
        Keys are the catalogue's `ps.` keys without the prefix (src/messages in the Rust crate is the
        one message catalogue; the en-US and ja-JP .psd1 tables are generated from it).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string]
        $Key,

        [hashtable]
        $Values = @{}
    )

    $text = $script:EatStrings[$Key]
    if ($null -eq $text) {
        $text = $Key
    }
    foreach ($name in $Values.Keys) {
        $text = $text.Replace('{' + $name + '}', [string]$Values[$name])
    }
    $text
}

function Get-EatLanguage {
    <#
    .SYNOPSIS
        The language for the native library's messages: ja-JP for a Japanese culture, en-US otherwise.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [string]
        $Culture = [System.Globalization.CultureInfo]::CurrentUICulture.Name
    )

    if ($Culture -like 'ja*') {
        'ja-JP'
    }
    else {
        'en-US'
    }
}

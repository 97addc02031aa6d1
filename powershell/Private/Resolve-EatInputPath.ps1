function Resolve-EatInputPath {
    <#
    .SYNOPSIS
        File-system paths from -Path (wildcards) and -LiteralPath, as the native library needs them.
    .DESCRIPTION
        Relative paths are resolved against the PowerShell location (not the process directory, which
        differs after Set-Location). A path that does not exist, matches nothing or is not on the
        FileSystem provider is a non-terminating error written through the calling cmdlet
        (ObjectNotFound / InvalidArgument, the path as target); the other paths are still read.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCmdlet]
        $Cmdlet,

        [AllowNull()]
        [string[]]
        $Path,

        [AllowNull()]
        [string[]]
        $LiteralPath
    )

    $pathIntrinsics = $Cmdlet.SessionState.Path
    foreach ($item in @($Path | Where-Object -FilterScript { $_ })) {
        $provider = $null
        $resolved = @()
        $failure = $null
        try {
            $resolved = @($pathIntrinsics.GetResolvedProviderPathFromPSPath($item, [ref]$provider))
        }
        catch {
            $failure = $_.Exception
        }
        if ($resolved.Count -eq 0) {
            $message = Get-EatString -Key 'PathNotFound' -Values @{ path = $item }
            $Cmdlet.WriteError((New-EatErrorRecord -Message $message -ErrorId 'PathNotFound' -Category ObjectNotFound -TargetObject $item -InnerException $failure))
            continue
        }
        if ($provider.Name -ne 'FileSystem') {
            $message = Get-EatString -Key 'PathNotFileSystem' -Values @{ path = $item; provider = $provider.Name }
            $Cmdlet.WriteError((New-EatErrorRecord -Message $message -ErrorId 'PathNotFileSystem' -Category InvalidArgument -TargetObject $item))
            continue
        }
        $resolved
    }
    foreach ($item in @($LiteralPath | Where-Object -FilterScript { $_ })) {
        $provider = $null
        $drive = $null
        $full = $pathIntrinsics.GetUnresolvedProviderPathFromPSPath($item, [ref]$provider, [ref]$drive)
        if ($provider.Name -ne 'FileSystem') {
            $message = Get-EatString -Key 'PathNotFileSystem' -Values @{ path = $item; provider = $provider.Name }
            $Cmdlet.WriteError((New-EatErrorRecord -Message $message -ErrorId 'PathNotFileSystem' -Category InvalidArgument -TargetObject $item))
            continue
        }
        if (-not (Test-Path -LiteralPath $full)) {
            $message = Get-EatString -Key 'PathNotFound' -Values @{ path = $item }
            $Cmdlet.WriteError((New-EatErrorRecord -Message $message -ErrorId 'PathNotFound' -Category ObjectNotFound -TargetObject $item))
            continue
        }
        $full
    }
}

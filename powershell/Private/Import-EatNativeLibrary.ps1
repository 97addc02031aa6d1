function Get-EatPlatform {
    <#
    .SYNOPSIS
        The running OS, process architecture, runtime identifier (RID) and native library file name.
    .DESCRIPTION
        Windows PowerShell (Desktop edition) only runs on Windows. The architecture comes from
        RuntimeInformation.ProcessArchitecture (in-box from .NET Framework 4.7.1, hence
        DotNetFrameworkVersion 4.7.2 in the manifest), with PROCESSOR_ARCHITECTURE as the fallback.
        The process architecture matters, not the OS's: an x64 PowerShell on Windows on Arm loads win-x64.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param()

    if ($PSVersionTable.PSEdition -eq 'Desktop' -or $env:OS -eq 'Windows_NT') {
        $os = 'Windows'
    }
    elseif ($IsMacOS) {
        $os = 'MacOS'
    }
    elseif ($IsLinux) {
        $os = 'Linux'
    }
    else {
        $os = 'Unknown'
    }

    $architecture = $null
    try {
        $architecture = [string][System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture
    }
    catch {
        $architecture = $null
    }
    if (-not $architecture) {
        switch ($env:PROCESSOR_ARCHITECTURE) {
            'AMD64' {
                $architecture = 'X64'
            }
            'ARM64' {
                $architecture = 'Arm64'
            }
            'x86' {
                $architecture = 'X86'
            }
            default {
                $architecture = [string]$env:PROCESSOR_ARCHITECTURE
            }
        }
    }

    $osPart = @{ Windows = 'win'; Linux = 'linux'; MacOS = 'osx' }[$os]
    $archPart = @{ X64 = 'x64'; Arm64 = 'arm64' }[$architecture]
    $fileName = @{ Windows = 'exchange_auth_tools.dll'; Linux = 'libexchange_auth_tools.so'; MacOS = 'libexchange_auth_tools.dylib' }[$os]
    $rid = $null
    if ($osPart -and $archPart) {
        $rid = $osPart + '-' + $archPart
    }
    @{
        Os           = $os
        Architecture = $architecture
        Rid          = $rid
        FileName     = $fileName
    }
}

function Get-EatNativeLibraryCandidate {
    <#
    .SYNOPSIS
        Where the native library may be, in the order they are tried.
    .DESCRIPTION
        1. $env:EXCHANGEAUTHTOOLS_NATIVE_LIBRARY (a full path; for development and tests).
        2. <module>/bin/<rid>/<file> (the installed and the staged module).
        3. In a source checkout (Cargo.toml beside the manifest): target/release, then target/debug,
           so `Import-Module ./ExchangeAuthTools.psd1` works right after `cargo build`.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]
        $Platform
    )

    if ($env:EXCHANGEAUTHTOOLS_NATIVE_LIBRARY) {
        $env:EXCHANGEAUTHTOOLS_NATIVE_LIBRARY
    }
    $binFolder = Join-Path -Path $script:EatModuleRoot -ChildPath 'bin'
    Join-Path -Path (Join-Path -Path $binFolder -ChildPath $Platform.Rid) -ChildPath $Platform.FileName
    if (Test-Path -LiteralPath (Join-Path -Path $script:EatModuleRoot -ChildPath 'Cargo.toml')) {
        $target = Join-Path -Path $script:EatModuleRoot -ChildPath 'target'
        foreach ($profileName in @('release', 'debug')) {
            Join-Path -Path (Join-Path -Path $target -ChildPath $profileName) -ChildPath $Platform.FileName
        }
    }
}

function Import-EatNativeLibrary {
    <#
    .SYNOPSIS
        Compiles the C# interop once per session, loads the native library for this platform and
        checks its ABI version; returns the ExchangeAuthTools.Native.V1.EatLibrary.
    .DESCRIPTION
        Every failure is a terminating ErrorRecord naming what was expected and found: the platform
        and the paths looked at, the loader's reason, or both ABI versions. Add-Type needs
        FullLanguage mode and a writable %TEMP% on Windows PowerShell 5.1; the type lives for the
        session, so a re-import (Remove-Module; Import-Module) reuses it.
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param()

    $platform = Get-EatPlatform
    if (-not $platform.Rid -or -not $platform.FileName) {
        $message = Get-EatString -Key 'LoaderUnsupportedPlatform' -Values @{ os = $platform.Os; architecture = $platform.Architecture }
        $PSCmdlet.ThrowTerminatingError((New-EatErrorRecord -Message $message -ErrorId 'UnsupportedPlatform' -Category NotInstalled -TargetObject $platform.Architecture))
    }

    $candidates = @(Get-EatNativeLibraryCandidate -Platform $platform)
    $path = $null
    foreach ($candidate in $candidates) {
        if (Test-Path -LiteralPath $candidate -PathType Leaf) {
            $path = (Resolve-Path -LiteralPath $candidate).ProviderPath
            break
        }
    }
    if (-not $path) {
        $message = Get-EatString -Key 'LoaderNotFound' -Values @{
            rid          = $platform.Rid
            os           = $platform.Os
            architecture = $platform.Architecture
            path         = ($candidates -join "', '")
        }
        $PSCmdlet.ThrowTerminatingError((New-EatErrorRecord -Message $message -ErrorId 'NativeLibraryNotFound' -Category ObjectNotFound -TargetObject $candidates[0]))
    }

    if (-not ('ExchangeAuthTools.Native.V1.EatLibrary' -as [type])) {
        $sourcePath = Join-Path -Path (Join-Path -Path $script:EatScriptRoot -ChildPath 'Private') -ChildPath 'ExchangeAuthTools.Native.cs'
        try {
            $source = [System.IO.File]::ReadAllText($sourcePath, [System.Text.Encoding]::UTF8)
            Add-Type -TypeDefinition $source -Language CSharp -ErrorAction Stop
        }
        catch {
            $message = Get-EatString -Key 'LoaderAddTypeFailed' -Values @{ reason = $_.Exception.Message }
            $PSCmdlet.ThrowTerminatingError((New-EatErrorRecord -Message $message -ErrorId 'InteropCompileFailed' -Category NotInstalled -TargetObject $sourcePath -InnerException $_.Exception))
        }
    }

    try {
        $library = [ExchangeAuthTools.Native.V1.EatLibrary]::Load($path)
        $found = $library.AbiVersion()
    }
    catch {
        $reason = $_.Exception.Message
        if ($null -ne $_.Exception.InnerException) {
            $reason = $_.Exception.InnerException.Message
        }
        $message = Get-EatString -Key 'LoaderLoadFailed' -Values @{ path = $path; reason = $reason }
        $PSCmdlet.ThrowTerminatingError((New-EatErrorRecord -Message $message -ErrorId 'NativeLibraryLoadFailed' -Category ResourceUnavailable -TargetObject $path -InnerException $_.Exception))
    }
    if ($found -ne $script:EatAbiVersion) {
        $message = Get-EatString -Key 'LoaderAbiMismatch' -Values @{ path = $path; found = $found; expected = $script:EatAbiVersion }
        $PSCmdlet.ThrowTerminatingError((New-EatErrorRecord -Message $message -ErrorId 'AbiVersionMismatch' -Category InvalidResult -TargetObject $path))
    }
    Write-Verbose -Message ('ExchangeAuthTools native library: {0} (ABI {1}, {2})' -f $path, $found, $platform.Rid)
    $library
}

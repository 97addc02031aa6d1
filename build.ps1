#Requires -Version 5.1
<#
.SYNOPSIS
    Builds the ExchangeAuthTools native library, stages the module, runs the Pester tests and
    makes the zip.

.DESCRIPTION
    Needs cargo (Rust 1.88 or later, https://rustup.rs) on PATH, and for -Test the Pester module 5.3
    or later (installed for the current user from the PowerShell Gallery when missing).

    1. cargo build (release unless -Configuration Debug) of the crate's cdylib.
    2. Stages out/ExchangeAuthTools/: the manifest, powershell/ (scripts, C# interop, formats,
       strings) and the native library in bin/<rid>/ (win-x64, win-arm64, linux-x64, linux-arm64,
       osx-x64, osx-arm64: the RID of this machine). `Import-Module ./out/ExchangeAuthTools` then works.
    3. -Test: Invoke-Pester on tests/pester against the staged module; fails when a test fails.
    4. -Package: out/ExchangeAuthTools-<version>-<rid>.zip of the staged folder.

    Works with PowerShell 7 on Windows, Linux and macOS, and with Windows PowerShell 5.1.

.PARAMETER Configuration
    Release (default) or Debug: the cargo profile to build.

.PARAMETER OutputPath
    Where to stage the module (default: out/ beside this script).

.PARAMETER Test
    Run the Pester tests against the staged module.

.PARAMETER Package
    Zip the staged module.

.PARAMETER SkipBuild
    Stage the library cargo already built instead of running cargo.

.EXAMPLE
    ./build.ps1

    Builds and stages out/ExchangeAuthTools/.

.EXAMPLE
    ./build.ps1 -Test -Package

    Builds, stages, runs Pester and writes the zip.
#>
[CmdletBinding()]
param(
    [ValidateSet('Release', 'Debug')]
    [string]
    $Configuration = 'Release',

    [string]
    $OutputPath = (Join-Path -Path $PSScriptRoot -ChildPath 'out'),

    [switch]
    $Test,

    [switch]
    $Package,

    [switch]
    $SkipBuild
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# The module's own platform detection (RID and library file name), so the build and the loader agree.
$script:EatModuleRoot = $PSScriptRoot
. (Join-Path -Path (Join-Path -Path (Join-Path -Path $PSScriptRoot -ChildPath 'powershell') -ChildPath 'Private') -ChildPath 'Import-EatNativeLibrary.ps1')
$platform = Get-EatPlatform
if (-not $platform.Rid) {
    throw ('ExchangeAuthTools does not support {0} on {1}: supported are win-x64, win-arm64, linux-x64, linux-arm64, osx-x64, osx-arm64.' -f $platform.Os, $platform.Architecture)
}

$profileFolder = $Configuration.ToLowerInvariant()
$targetFolder = Join-Path -Path $PSScriptRoot -ChildPath 'target'
if ($env:CARGO_TARGET_DIR) {
    $targetFolder = $env:CARGO_TARGET_DIR
}
$library = Join-Path -Path (Join-Path -Path $targetFolder -ChildPath $profileFolder) -ChildPath $platform.FileName

if (-not $SkipBuild) {
    if (-not (Get-Command -Name 'cargo' -ErrorAction SilentlyContinue)) {
        throw 'build.ps1 needs cargo (Rust 1.88 or later) on PATH: install it from https://rustup.rs, open a new shell, then run ./build.ps1 again.'
    }
    $cargoArguments = @('build', '--lib', '--manifest-path', (Join-Path -Path $PSScriptRoot -ChildPath 'Cargo.toml'))
    if ($Configuration -eq 'Release') {
        $cargoArguments += '--release'
    }
    Write-Host ('cargo {0}' -f ($cargoArguments -join ' '))
    & cargo @cargoArguments
    if ($LASTEXITCODE -ne 0) {
        throw ('cargo build failed with exit code {0}' -f $LASTEXITCODE)
    }
}
if (-not (Test-Path -LiteralPath $library -PathType Leaf)) {
    throw ('The native library was not built: {0} does not exist.' -f $library)
}

$stage = Join-Path -Path $OutputPath -ChildPath 'ExchangeAuthTools'
if (Test-Path -LiteralPath $stage) {
    Remove-Item -LiteralPath $stage -Recurse -Force
}
$binFolder = Join-Path -Path (Join-Path -Path $stage -ChildPath 'bin') -ChildPath $platform.Rid
$null = New-Item -ItemType Directory -Path $binFolder -Force
Copy-Item -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath 'ExchangeAuthTools.psd1') -Destination $stage
Copy-Item -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath 'powershell') -Destination $stage -Recurse
foreach ($extra in @('README.md', 'LICENSE')) {
    $extraPath = Join-Path -Path $PSScriptRoot -ChildPath $extra
    if (Test-Path -LiteralPath $extraPath) {
        Copy-Item -LiteralPath $extraPath -Destination $stage
    }
}
Copy-Item -LiteralPath $library -Destination $binFolder
$manifestPath = Join-Path -Path $stage -ChildPath 'ExchangeAuthTools.psd1'
Write-Host ('Staged {0} ({1})' -f $stage, $platform.Rid)

if ($Test) {
    $pester = Get-Module -ListAvailable -Name 'Pester' | Where-Object -FilterScript { $_.Version -ge [version]'5.3.0' } | Sort-Object -Property Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Host 'Installing Pester 5 for the current user from the PowerShell Gallery'
        Install-Module -Name 'Pester' -MinimumVersion '5.3.0' -Scope CurrentUser -Force -SkipPublisherCheck -AllowClobber
    }
    Import-Module -Name 'Pester' -MinimumVersion '5.3.0' -ErrorAction Stop
    $env:EXCHANGEAUTHTOOLS_MODULE_PATH = $manifestPath
    $pesterConfiguration = New-PesterConfiguration
    $pesterConfiguration.Run.Path = Join-Path -Path (Join-Path -Path $PSScriptRoot -ChildPath 'tests') -ChildPath 'pester'
    $pesterConfiguration.Run.PassThru = $true
    $pesterConfiguration.Output.Verbosity = 'Detailed'
    $pesterConfiguration.TestResult.Enabled = $true
    $pesterConfiguration.TestResult.OutputPath = Join-Path -Path $OutputPath -ChildPath 'pester-results.xml'
    $result = Invoke-Pester -Configuration $pesterConfiguration
    if ($result.FailedCount -gt 0) {
        throw ('{0} Pester test(s) failed' -f $result.FailedCount)
    }
}

if ($Package) {
    $version = (Import-PowerShellDataFile -Path $manifestPath).ModuleVersion
    $zip = Join-Path -Path $OutputPath -ChildPath ('ExchangeAuthTools-{0}-{1}.zip' -f $version, $platform.Rid)
    Compress-Archive -Path $stage -DestinationPath $zip -Force
    Write-Host ('Packaged {0}' -f $zip)
}

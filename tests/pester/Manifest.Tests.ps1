#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.3.0' }
# The manifest and the files agree (PSFramework-style), and every script parses with PowerShell's
# own parser (the authority; tests/powershell_static.rs runs tree-sitter where there is no pwsh).

BeforeDiscovery {
    $repoRoot = Split-Path -Path (Split-Path -Path $PSScriptRoot -Parent) -Parent
    $scriptFiles = @(Get-ChildItem -LiteralPath (Join-Path -Path $repoRoot -ChildPath 'powershell') -Recurse -Include '*.ps1', '*.psm1', '*.psd1') +
        @(Get-Item -LiteralPath (Join-Path -Path $repoRoot -ChildPath 'ExchangeAuthTools.psd1')) +
        @(Get-Item -LiteralPath (Join-Path -Path $repoRoot -ChildPath 'build.ps1'))
    $scriptCases = @($scriptFiles | ForEach-Object -Process { @{ Path = $_.FullName; Name = $_.Name } })
}

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Shared.ps1')
    $repoRoot = Get-EatTestRepositoryRoot
    $manifestPath = Get-EatTestManifestPath
    $moduleFolder = Split-Path -Path $manifestPath -Parent
    $manifest = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
}

Describe 'Module manifest' {
    It 'passes Test-ModuleManifest' {
        $manifest.Name | Should -Be 'ExchangeAuthTools'
    }

    It 'has the crate version from Cargo.toml' {
        $cargo = Get-Content -LiteralPath (Join-Path -Path $repoRoot -ChildPath 'Cargo.toml')
        $versionLine = $cargo | Where-Object -FilterScript { $_ -match '^version\s*=' } | Select-Object -First 1
        $manifest.Version.ToString() | Should -Be ($versionLine -replace '^version\s*=\s*"([^"]+)".*$', '$1')
    }

    It 'declares both editions, PowerShell 5.1 and the gallery tags' {
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion.ToString() | Should -Be '5.1'
        foreach ($tag in @('PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')) {
            $manifest.Tags | Should -Contain $tag
        }
        $manifest.ProjectUri | Should -Not -BeNullOrEmpty
        $manifest.LicenseUri | Should -Not -BeNullOrEmpty
    }

    It 'exports exactly the Public/*.ps1 functions and nothing else' {
        $public = Get-ChildItem -LiteralPath (Join-Path -Path (Join-Path -Path $moduleFolder -ChildPath 'powershell') -ChildPath 'Public') -Filter '*.ps1' |
            ForEach-Object -Process { $_.BaseName } | Sort-Object
        @($manifest.ExportedFunctions.Keys | Sort-Object) | Should -Be @($public)
        $manifest.ExportedCmdlets.Count | Should -Be 0
        $manifest.ExportedAliases.Count | Should -Be 0
        $manifest.ExportedVariables.Count | Should -Be 0
    }

    It 'ships the native library for this platform in bin/<rid>/' {
        @(Get-ChildItem -LiteralPath (Join-Path -Path $moduleFolder -ChildPath 'bin') -Recurse -File).Count | Should -BeGreaterThan 0
    }
}

Describe 'Script file <Name>' -ForEach $scriptCases {
    It 'parses without errors' {
        $tokens = $null
        $parseErrors = $null
        $null = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$parseErrors)
        $parseErrors | Should -BeNullOrEmpty
    }

    It 'is UTF-8 with a BOM' {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        $bytes[0..2] | Should -Be @(0xEF, 0xBB, 0xBF)
    }

    It 'passes PSScriptAnalyzer errors and 5.1/7 syntax compatibility' {
        if (-not (Get-Module -ListAvailable -Name 'PSScriptAnalyzer')) {
            Set-ItResult -Skipped -Because 'PSScriptAnalyzer is not installed'
            return
        }
        $settings = @{
            Rules = @{
                PSUseCompatibleSyntax = @{
                    Enable         = $true
                    TargetVersions = @('5.1', '7.0')
                }
            }
        }
        $findings = @(Invoke-ScriptAnalyzer -Path $Path -Severity Error)
        $findings += @(Invoke-ScriptAnalyzer -Path $Path -IncludeRule 'PSUseCompatibleSyntax' -Settings $settings)
        $findings | ForEach-Object -Process { '{0}:{1} {2}' -f $_.ScriptName, $_.Line, $_.Message } | Should -BeNullOrEmpty
    }
}

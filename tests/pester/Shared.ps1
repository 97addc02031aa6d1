# Helpers dot-sourced by the *.Tests.ps1 files (Invoke-Pester runs only *.Tests.ps1, not this file).

function Get-EatTestRepositoryRoot {
    Split-Path -Path (Split-Path -Path $PSScriptRoot -Parent) -Parent
}

function Get-EatTestManifestPath {
    # The staged module that build.ps1 -Test points to, or out/ExchangeAuthTools/ by default.
    if ($env:EXCHANGEAUTHTOOLS_MODULE_PATH) {
        return $env:EXCHANGEAUTHTOOLS_MODULE_PATH
    }
    $out = Join-Path -Path (Get-EatTestRepositoryRoot) -ChildPath 'out'
    Join-Path -Path (Join-Path -Path $out -ChildPath 'ExchangeAuthTools') -ChildPath 'ExchangeAuthTools.psd1'
}

# Module manifest for ExchangeAuthTools.
# The same file works from a source checkout (repo root) and from the staged module folder
# out/ExchangeAuthTools/ that build.ps1 makes: both have this manifest at the root, the scripts in
# powershell/ and the native library in bin/<rid>/ (see powershell/Private/Import-EatNativeLibrary.ps1).
# ModuleVersion equals the crate version in Cargo.toml (tests/powershell_static.rs checks it).
@{
    RootModule             = 'powershell/ExchangeAuthTools.psm1'
    ModuleVersion          = '0.1.0'
    GUID                   = '7d0cbd8f-a067-48e0-a9d5-9f7616c7dff5'
    Author                 = 'ExchangeAuthTools contributors'
    CompanyName            = 'ExchangeAuthTools'
    Copyright              = '(c) ExchangeAuthTools contributors. MIT License.'
    Description            = 'Find and remove Basic (legacy) authentication in Exchange Online / Entra ID: stream and summarise legacy sign-ins (IMAP, POP, SMTP AUTH, ActiveSync, EWS, Other clients), tell real users from password spray, and know what each client must move to. English and Japanese.'
    CompatiblePSEditions   = @('Desktop', 'Core')
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FunctionsToExport      = @(
        'Enable-OutlookModernAuth'
        'Export-LegacyAuthReport'
        'Get-LegacyAuthClientApp'
        'Get-LegacyAuthSignIn'
        'Get-LegacyProtocolExposure'
        'Measure-LegacyAuthUsage'
        'Test-ExoPowerShellReadiness'
        'Test-LegacyAuthBlock'
        'Test-OutlookModernAuth'
    )
    CmdletsToExport        = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    FormatsToProcess       = @('powershell/ExchangeAuthTools.Format.ps1xml')
    PrivateData            = @{
        PSData = @{
            Tags         = @(
                'PSEdition_Desktop'
                'PSEdition_Core'
                'Windows'
                'Linux'
                'MacOS'
                'Exchange'
                'ExchangeOnline'
                'EntraID'
                'AzureAD'
                'BasicAuth'
                'LegacyAuthentication'
                'ModernAuthentication'
                'SignInLogs'
                'Security'
            )
            LicenseUri   = 'https://github.com/exchange-auth-tools/exchange-auth-tools/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/exchange-auth-tools/exchange-auth-tools'
            ReleaseNotes = '0.1.0: first release. Get-LegacyAuthSignIn (stream legacy sign-ins from Graph, diagnostic-settings and Log Analytics exports), Measure-LegacyAuthUsage (summaries by user, protocol, app, IP, country or day with password-spray assessment), Get-LegacyAuthClientApp (the client-app catalogue with migration advice), Get-LegacyProtocolExposure (per-mailbox protocol exposure with reviewable -WhatIf commands), Test-LegacyAuthBlock (Conditional Access / Security Defaults gaps), Export-LegacyAuthReport (self-contained HTML, CSV or JSON report), Test-OutlookModernAuth and Enable-OutlookModernAuth (Outlook modern-auth registry, live or fleet .reg/hives), Test-ExoPowerShellReadiness (Exchange Online PowerShell module, TLS, proxy, retired Remote PowerShell). Windows PowerShell 5.1 and PowerShell 7 on Windows, Linux and macOS (x64, arm64).'
        }
    }
}

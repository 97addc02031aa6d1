#Requires -Version 5.1
<#
    ExchangeAuthTools root module: loads the strings, the private helpers, the public functions
    (one per file) and the native library, in that order.
    Layout (repo checkout and staged module alike): <module>/ExchangeAuthTools.psd1,
    <module>/powershell/ (this file, Private/, Public/, <culture>/), <module>/bin/<rid>/<library>.
#>
Set-StrictMode -Version 3.0

# The C ABI version these scripts were written for. The native library reports its own with
# eat_abi_version(); a different value stops the import (Import-EatNativeLibrary).
$script:EatAbiVersion = 1
$script:EatScriptRoot = $PSScriptRoot
$script:EatModuleRoot = Split-Path -Path $PSScriptRoot -Parent

# en-US defaults, used when the UI culture has no string table (the invariant culture, LCID 127,
# or a culture we do not ship). GENERATED from src/messages (`exauth messages --psd1 --culture en-US`):
# tests/powershell_static.rs fails when this block differs from the catalogue.
data EatDefaultStrings {
@{
    LoaderUnsupportedPlatform = 'ExchangeAuthTools has no native library for {os} on {architecture}. Supported platforms: win-x64, win-arm64, linux-x64, linux-arm64, osx-x64, osx-arm64.'
    LoaderNotFound = 'The ExchangeAuthTools native library for {rid} (OS: {os}, architecture: {architecture}) was not found at ''{path}''. Reinstall the module, or build it from source with ./build.ps1.'
    LoaderLoadFailed = 'The ExchangeAuthTools native library ''{path}'' could not be loaded: {reason}'
    LoaderAddTypeFailed = 'The ExchangeAuthTools C# interop could not be compiled (Add-Type needs FullLanguage mode and a writable TEMP folder): {reason}'
    LoaderAbiMismatch = 'The ExchangeAuthTools native library ''{path}'' implements ABI version {found}, but this module needs ABI version {expected}. Reinstall the module so that the scripts and the library come from the same release.'
    PathNotFound = 'Cannot find path ''{path}'' because it does not exist.'
    PathNotFileSystem = '''{path}'' is on the {provider} provider: ExchangeAuthTools reads files and folders only.'
    NoInput = 'No input to read: every path given was skipped.'
    TimeRangeEmpty = '-Since ({since}) must be earlier than -Until ({until}).'
    ProgressReading = 'Reading sign-in logs'
    ProgressSummarising = 'Summarising sign-in logs'
    ProgressStatus = '{items} sign-ins found, {percent}% of {megabytes} MB read'
    ProblemsNotShown = '{hidden} more problems were found but not kept: only the first {kept} are reported.'
    VerboseStart = '{operation}: reading {count} path(s)'
    NoMailbox = 'No mailbox to evaluate: pipe CAS mailbox objects (Get-EXOCASMailbox -PropertySets All -Properties SmtpClientAuthenticationDisabled) or give -MailboxPath.'
    NoUsage = 'Give -Usage (objects from Measure-LegacyAuthUsage) or -UsagePath (sign-in files or summary JSON): without usage every enabled protocol would look unused.'
    UsageOtherGrouping = '{count} UsageSummary rows are not grouped by UserProtocol and were not used for the per-mailbox evaluation (use Measure-LegacyAuthUsage -By UserProtocol, the default).'
    ExposureCounts = '{mailboxes} mailboxes: {disable} to disable now, {migrateFirst} to migrate first, {investigate} to investigate; usage covers {days} days.'
    BlockVerdict = 'Legacy authentication block: {verdict}. {policies} Conditional Access policies read; Security Defaults enabled: {securityDefaults}.'
    ReportFormatUnknown = 'Cannot tell the report format from ''{path}'': name the file .html, .csv or .json, or give -Format.'
    WriteReport = 'Write the legacy authentication report ({format}, {culture})'
    WriteScript = 'Write the remediation script (every command ends with -WhatIf)'
    RegistryWindowsOnly = 'Enable-OutlookModernAuth changes the Windows registry, and this is {os}: use -AsRegFile to write the .reg file to import on the Windows machines.'
    RegistrySet = 'Set {name} to {value} ({type})'
    RegistryRemove = 'Remove {name}'
    WriteRegFile = 'Write the registry file (.reg)'
    VerboseDone = '{operation}: {files} files, {records} records read, {skipped} skipped, {problems} problems'
}
}

$script:EatStrings = @{}
foreach ($key in $EatDefaultStrings.Keys) {
    $script:EatStrings[$key] = $EatDefaultStrings[$key]
}
$uiCultureName = [System.Globalization.CultureInfo]::CurrentUICulture.Name
if ($uiCultureName) {
    $localizedStrings = $null
    Import-LocalizedData -BindingVariable 'localizedStrings' -FileName 'ExchangeAuthTools.Strings.psd1' -BaseDirectory $PSScriptRoot -UICulture $uiCultureName -ErrorAction Ignore
    if ($localizedStrings -is [hashtable]) {
        foreach ($key in $localizedStrings.Keys) {
            $script:EatStrings[$key] = $localizedStrings[$key]
        }
    }
}

foreach ($folder in @('Private', 'Public')) {
    $folderPath = Join-Path -Path $PSScriptRoot -ChildPath $folder
    foreach ($file in (Get-ChildItem -LiteralPath $folderPath -Filter '*.ps1' | Sort-Object -Property 'Name')) {
        . $file.FullName
    }
}

# Stops the import with a terminating ErrorRecord when the library is missing, cannot be loaded,
# or speaks another ABI version.
$script:EatNative = Import-EatNativeLibrary

$publicFunctions = Get-ChildItem -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath 'Public') -Filter '*.ps1' |
    ForEach-Object -Process { $_.BaseName }
Export-ModuleMember -Function $publicFunctions

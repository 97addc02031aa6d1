# en-US strings of the ExchangeAuthTools module. GENERATED from src/messages by
# `exauth messages --psd1 --culture en-US --output <this file>`: do not edit by hand.
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
    VerboseDone = '{operation}: {files} files, {records} records read, {skipped} skipped, {problems} problems'
}

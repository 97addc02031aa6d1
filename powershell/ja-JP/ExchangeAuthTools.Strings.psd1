# ja-JP strings of the ExchangeAuthTools module. GENERATED from src/messages by
# `exauth messages --psd1 --culture ja-JP --output <this file>`: do not edit by hand.
@{
    LoaderUnsupportedPlatform = 'ExchangeAuthTools には {os} ({architecture}) 用のネイティブ ライブラリがありません。対応プラットフォーム: win-x64、win-arm64、linux-x64、linux-arm64、osx-x64、osx-arm64。'
    LoaderNotFound = '{rid} 用の ExchangeAuthTools ネイティブ ライブラリ (OS: {os}、アーキテクチャ: {architecture}) が ''{path}'' に見つかりません。モジュールを再インストールするか、./build.ps1 でソースからビルドしてください。'
    LoaderLoadFailed = 'ExchangeAuthTools ネイティブ ライブラリ ''{path}'' を読み込めませんでした: {reason}'
    LoaderAddTypeFailed = 'ExchangeAuthTools の C# 相互運用コードをコンパイルできませんでした (Add-Type には FullLanguage モードと書き込み可能な TEMP フォルダーが必要です): {reason}'
    LoaderAbiMismatch = 'ExchangeAuthTools ネイティブ ライブラリ ''{path}'' の ABI バージョンは {found} ですが、このモジュールには ABI バージョン {expected} が必要です。スクリプトとライブラリが同じリリースになるよう、モジュールを再インストールしてください。'
    PathNotFound = 'パス ''{path}'' が存在しないため見つかりません。'
    PathNotFileSystem = '''{path}'' は {provider} プロバイダーのパスです。ExchangeAuthTools が読み取れるのはファイルとフォルダーだけです。'
    NoInput = '読み取る入力がありません。指定されたパスはすべてスキップされました。'
    TimeRangeEmpty = '-Since ({since}) は -Until ({until}) より前の日時を指定してください。'
    ProgressReading = 'サインイン ログを読み取り中'
    ProgressSummarising = 'サインイン ログを集計中'
    ProgressStatus = '{items} 件のサインインを検出、{megabytes} MB 中 {percent}% を読み取り済み'
    ProblemsNotShown = 'さらに {hidden} 件の問題が見つかりましたが保持されていません。報告されているのは最初の {kept} 件だけです。'
    VerboseStart = '{operation}: {count} 個のパスを読み取ります'
    VerboseDone = '{operation}: {files} ファイル、{records} レコードを読み取り、{skipped} 件をスキップ、問題 {problems} 件'
}

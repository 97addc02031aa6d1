//! The entries. Keys are `area.name`; placeholders are `{name}`. Keep en and ja in step (a
//! test checks both exist and have the same placeholders).

use super::Message;

macro_rules! m {
    ($key:literal, $en:literal, $ja:literal) => {
        Message { key: $key, en: $en, ja: $ja }
    };
}

pub static MESSAGES: &[Message] = &[
    // Migration advice per protocol (DOMAIN.md §1.2).
    m!("migrate.none", "Modern authentication: nothing to migrate.", "先進認証です。移行の必要はありません。"),
    m!(
        "migrate.smtp",
        "Move SMTP AUTH clients to OAuth 2.0. Devices that cannot do OAuth (printers, scanners, apps): High Volume Email for internal mail, an SMTP relay (connector) or direct send, or Microsoft Graph sendMail. Basic SMTP AUTH is disabled by default from the end of December 2026.",
        "SMTP AUTH クライアントを OAuth 2.0 に移行してください。OAuth に対応できない機器(複合機、スキャナー、業務アプリ)は、社内宛てなら High Volume Email、SMTP リレー(コネクタ)またはダイレクト送信、あるいは Microsoft Graph の sendMail を使います。基本認証の SMTP AUTH は 2026 年 12 月末から既定で無効になります。"
    ),
    m!(
        "migrate.autodiscover",
        "Use a modern-auth client; for Outlook 2013-2019 set AlwaysUseMSOAuthForAutoDiscover=1.",
        "先進認証対応のクライアントを使用してください。Outlook 2013~2019 では AlwaysUseMSOAuthForAutoDiscover=1 を設定します。"
    ),
    m!(
        "migrate.eas",
        "Move to Outlook for iOS/Android or a native mail app with modern auth (remove and re-add the account); deploy an Intune email profile.",
        "Outlook for iOS/Android、または先進認証対応の標準メールアプリに移行してください(アカウントを削除して再追加)。Intune の電子メール プロファイルも利用できます。"
    ),
    m!(
        "migrate.powershell",
        "Use the ExchangeOnlineManagement module V3 (REST) with Connect-ExchangeOnline; remote PowerShell with Basic auth was retired on Oct 1, 2023.",
        "ExchangeOnlineManagement モジュール V3 (REST) の Connect-ExchangeOnline を使用してください。基本認証のリモート PowerShell は 2023 年 10 月 1 日に廃止されました。"
    ),
    m!(
        "migrate.ews",
        "Move EWS applications to Microsoft Graph: EWS in Exchange Online is being disabled in phases from Oct 1, 2026 and shut down on Apr 1, 2027.",
        "EWS アプリケーションを Microsoft Graph に移行してください。Exchange Online の EWS は 2026 年 10 月 1 日から段階的に無効化され、2027 年 4 月 1 日に停止されます。"
    ),
    m!(
        "migrate.imap",
        "Use OAuth 2.0 for IMAP (available since 2020) or Microsoft Graph.",
        "IMAP の OAuth 2.0 認証(2020 年から利用可能)または Microsoft Graph に移行してください。"
    ),
    m!(
        "migrate.pop",
        "Use OAuth 2.0 for POP or Microsoft Graph.",
        "POP の OAuth 2.0 認証または Microsoft Graph に移行してください。"
    ),
    m!(
        "migrate.outlook",
        "Use Outlook with modern authentication (Outlook 2016 and later by default; Outlook 2013 needs EnableADAL=1 and Version=1).",
        "先進認証の Outlook を使用してください(Outlook 2016 以降は既定で有効、Outlook 2013 は EnableADAL=1 と Version=1 が必要)。"
    ),
    m!(
        "migrate.outlookservice",
        "Re-add the account with modern authentication or move to the new Outlook for Windows (unverified guidance).",
        "先進認証でアカウントを追加し直すか、新しい Outlook for Windows に移行してください(未検証のガイダンス)。"
    ),
    m!(
        "migrate.reporting",
        "Use the Microsoft Graph reports APIs (unverified guidance).",
        "Microsoft Graph のレポート API を使用してください(未検証のガイダンス)。"
    ),
    m!(
        "migrate.other",
        "Investigate the user agent and application: there is no single fix for 'Other clients'.",
        "ユーザー エージェントとアプリケーションを調査してください。「その他のクライアント」に単一の対処法はありません。"
    ),
    // Assessments.
    m!(
        "assessment.Migrate",
        "Real usage: migrate this user, device or app.",
        "実際の利用です。このユーザー、機器、アプリを移行してください。"
    ),
    m!(
        "assessment.CompromiseSuspected",
        "A success from a password-spray IP: treat the account as compromised (reset the password, revoke sessions).",
        "パスワード スプレー元の IP からのサインインが成功しています。侵害されたものとして対処してください(パスワードのリセット、セッションの取り消し)。"
    ),
    m!(
        "assessment.PasswordSpray",
        "Failures from password-spray IPs only: an attack, not a user. Block legacy authentication; do not migrate.",
        "パスワード スプレー元の IP からの失敗のみです。利用者ではなく攻撃です。レガシー認証をブロックしてください(移行は不要)。"
    ),
    m!(
        "assessment.BruteForce",
        "The account is brute-forced from many IPs: block legacy authentication and review the account.",
        "多数の IP からブルート フォース攻撃を受けています。レガシー認証をブロックし、アカウントを確認してください。"
    ),
    m!(
        "assessment.FailuresOnly",
        "Only failures without an attack pattern: a stale device or app with an old password. Find it and remove or migrate it.",
        "攻撃パターンのない失敗のみです。古いパスワードが残った機器やアプリです。特定して削除または移行してください。"
    ),
    // Errors (`crate::Error::message`): one entry per stable error code, `error.<code>`.
    m!("error.io", "{path}: I/O error: {detail}", "{path}: 入出力エラー: {detail}"),
    m!("error.invalid_input", "{target}: invalid input: {detail}", "{target}: 入力が正しくありません: {detail}"),
    m!("error.invalid_request", "invalid request: {detail}", "要求が正しくありません: {detail}"),
    m!(
        "error.invalid_json",
        "the request is not valid JSON (line {line}, column {column}): {detail}",
        "要求が正しい JSON ではありません(行 {line}、列 {column}): {detail}"
    ),
    m!(
        "error.invalid_utf8",
        "the request is not valid UTF-8 (first bad byte at offset {offset})",
        "要求が正しい UTF-8 ではありません(不正なバイトの位置: {offset})"
    ),
    m!(
        "error.null_argument",
        "argument '{name}' is NULL (or NULL with a non-zero length)",
        "引数 '{name}' が NULL です(または長さが 0 でないのに NULL です)"
    ),
    m!(
        "error.unknown_operation",
        "unknown operation '{op}' (known operations: {known})",
        "不明な操作 '{op}' です(使用できる操作: {known})"
    ),
    m!("error.cancelled", "the operation was cancelled", "操作は取り消されました"),
    m!("error.http", "HTTP error: {detail}", "HTTP エラー: {detail}"),
    m!("error.auth", "access denied: {detail}", "アクセスできません: {detail}"),
    m!(
        "error.internal",
        "internal error (a bug: please report it): {detail}",
        "内部エラー(不具合です。報告してください): {detail}"
    ),
    // Reading.
    m!(
        "read.summary",
        "{files} files, {records} records read, {skipped} skipped, {problems} problems",
        "{files} ファイル、{records} レコードを読み取り、{skipped} 件をスキップ、問題 {problems} 件"
    ),
    m!("read.position_record", "{at}: record {record}", "{at}: レコード {record}"),
    m!(
        "read.problems_hidden",
        "... and {count} more problems (see --problems)",
        "... ほか {count} 件の問題(--problems で表示)"
    ),
    // Reading: problems the sign-in readers report (src/signin). `{…}` are filled by the reader.
    m!(
        "read.record_not_a_signin",
        "not a sign-in record: expected fields such as createdDateTime, userPrincipalName, clientAppUsed",
        "サインイン レコードではありません: createdDateTime、userPrincipalName、clientAppUsed などのフィールドが必要です"
    ),
    m!(
        "read.record_missing_time",
        "missing createdDateTime (or TimeGenerated / Date (UTC))",
        "createdDateTime(または TimeGenerated / Date (UTC))がありません"
    ),
    m!(
        "read.record_bad_time",
        "'{value}' is not a timestamp: expected ISO 8601 (2024-01-31T12:00:00Z) or a locale date (1/31/2024, 12:00:00 PM)",
        "'{value}' は日時ではありません: ISO 8601(2024-01-31T12:00:00Z)またはロケール形式の日付(1/31/2024, 12:00:00 PM)が必要です"
    ),
    m!(
        "read.record_bad_error_code",
        "'{value}' is not a sign-in error code: expected an integer such as 0 or 50126",
        "'{value}' はサインイン エラー コードではありません: 0 や 50126 のような整数が必要です"
    ),
    m!("read.unreadable_file", "cannot read file: {error}", "ファイルを読み取れません: {error}"),
    m!("read.unreadable_dir", "cannot list directory: {error}", "フォルダーの内容を取得できません: {error}"),
    m!(
        "read.empty_file",
        "empty file: expected sign-in records (JSON or CSV)",
        "空のファイルです: サインイン レコード(JSON または CSV)が必要です"
    ),
    m!(
        "read.binary",
        "binary data: expected text (JSON or CSV)",
        "バイナリ データです: テキスト(JSON または CSV)が必要です"
    ),
    m!("read.bad_archive", "not a readable archive: {error}", "読み取れないアーカイブです: {error}"),
    m!(
        "read.partial_archive",
        "archive is corrupt or cut off ({error}): reading the {bytes} bytes decompressed before the damage",
        "アーカイブが破損しているか途中で切れています({error}): 破損箇所より前に展開できた {bytes} バイトを読み取ります"
    ),
    m!(
        "read.nested_too_deep",
        "archives nested more than {depth} deep are not read",
        "{depth} 階層を超えて入れ子になったアーカイブは読み取りません"
    ),
    m!(
        "read.bad_json",
        "invalid JSON at line {line}, column {column} ({error}): expected a sign-in object",
        "{line} 行 {column} 列目の JSON が不正です({error}): サインイン オブジェクトが必要です"
    ),
    m!(
        "read.bad_json_column",
        "invalid JSON at column {column} ({error}): expected a sign-in object",
        "{column} 列目の JSON が不正です({error}): サインイン オブジェクトが必要です"
    ),
    m!(
        "read.bad_json_top",
        "unexpected `{found}`: expected a JSON object or an array of sign-ins",
        "予期しない `{found}` があります: JSON オブジェクトまたはサインインの配列が必要です"
    ),
    m!(
        "read.bad_json_separator",
        "unexpected `{found}` after a record: expected `,` or the closing bracket",
        "レコードの後に予期しない `{found}` があります: `,` または閉じかっこが必要です"
    ),
    m!(
        "read.not_an_object",
        "`{found}` is not a sign-in: expected a JSON object",
        "`{found}` はサインインではありません: JSON オブジェクトが必要です"
    ),
    m!(
        "read.truncated_record",
        "truncated JSON: the input ends inside this record (expected the rest of the object)",
        "JSON が途中で切れています: このレコードの途中で入力が終わっています(オブジェクトの残りが必要です)"
    ),
    m!(
        "read.truncated_array",
        "truncated JSON: the input ends before the closing `]` (the complete records before it were read)",
        "JSON が途中で切れています: 閉じかっこ `]` の前で入力が終わっています(それまでの完全なレコードは読み取りました)"
    ),
    m!(
        "read.bad_encoding_record",
        "invalid UTF-8 in this record: expected UTF-8 or UTF-16 text",
        "このレコードに不正な UTF-8 があります: UTF-8 または UTF-16 のテキストが必要です"
    ),
    m!(
        "read.bad_encoding_cell",
        "invalid UTF-8 in column `{column}`: expected UTF-8, UTF-16 or Shift_JIS text",
        "列 `{column}` に不正な UTF-8 があります: UTF-8、UTF-16 または Shift_JIS のテキストが必要です"
    ),
    m!(
        "read.not_json_line",
        "not JSON: expected one sign-in object per line",
        "JSON ではありません: 1 行に 1 つのサインイン オブジェクトが必要です"
    ),
    m!(
        "read.not_a_signin_log",
        "not a sign-in log: {count} object(s) without sign-in fields (keys: {keys}); expected fields such as createdDateTime, userPrincipalName, clientAppUsed, ipAddress",
        "サインイン ログではありません: サインインのフィールドがないオブジェクトが {count} 件あります(キー: {keys})。createdDateTime、userPrincipalName、clientAppUsed、ipAddress などのフィールドが必要です"
    ),
    m!(
        "read.not_a_signin_csv",
        "not a sign-in log: no sign-in columns; expected columns such as `createdDateTime`, `userPrincipalName`, `clientAppUsed`, `Username`, `Client app`; found: {columns}",
        "サインイン ログではありません: サインインの列がありません。`createdDateTime`、`userPrincipalName`、`clientAppUsed`、`Username`、`Client app` などの列が必要です。見つかった列: {columns}"
    ),
    m!(
        "read.missing_time_column",
        "missing column for the time: expected `createdDateTime`, `CreatedDateTime [UTC]`, `TimeGenerated` or `Date (UTC)`; found: {columns}",
        "日時の列がありません: `createdDateTime`、`CreatedDateTime [UTC]`、`TimeGenerated` または `Date (UTC)` が必要です。見つかった列: {columns}"
    ),
    m!(
        "read.missing_client_app_column",
        "no client app column (`clientAppUsed`, `ClientAppUsed` or `Client app`): legacy authentication cannot be recognised in this file; found: {columns}",
        "クライアント アプリの列(`clientAppUsed`、`ClientAppUsed` または `Client app`)がありません: このファイルではレガシー認証を判別できません。見つかった列: {columns}"
    ),
    m!(
        "read.shallow_dump",
        "PowerShell ConvertTo-Json dump made with too small -Depth: {fields} written as .NET type names and lost in {count} records; export again with ConvertTo-Json -Depth 10",
        "PowerShell の ConvertTo-Json の -Depth が小さすぎる出力です: {count} 件のレコードで {fields} が .NET の型名として出力され、失われています。ConvertTo-Json -Depth 10 で出力し直してください"
    ),
    m!(
        "read.flattened_csv",
        "PowerShell Export-Csv wrote nested objects as .NET type names: {fields} lost in {count} records; select the nested values as columns first, e.g. Select-Object CreatedDateTime, UserPrincipalName, ClientAppUsed, IPAddress, @{n='ErrorCode';e={$_.Status.ErrorCode}}",
        "PowerShell の Export-Csv が入れ子のオブジェクトを .NET の型名として出力しました: {count} 件のレコードで {fields} が失われています。先に入れ子の値を列として選択してください。例: Select-Object CreatedDateTime, UserPrincipalName, ClientAppUsed, IPAddress, @{n='ErrorCode';e={$_.Status.ErrorCode}}"
    ),
    m!(
        "read.service_error",
        "the service returned an error instead of (all of) the sign-ins: {error}",
        "サービスがサインインの代わりに(または一部について)エラーを返しました: {error}"
    ),
    m!(
        "read.bad_table",
        "malformed Log Analytics table: expected `columns` and then `rows` arrays; the rest of this table was not read",
        "Log Analytics のテーブルの形式が不正です: `columns` と `rows` の配列が必要です。このテーブルの残りは読み取っていません"
    ),
    m!("read.bad_csv", "CSV error: {error}", "CSV のエラー: {error}"),
    m!("cli.no_rows", "No legacy sign-ins found.", "レガシー認証のサインインは見つかりませんでした。"),
    // Exposure, guard rails and the report (src/exposure, src/guardrails, src/report).
    m!("rec.Investigate", "Investigate", "調査"),
    m!("rec.MigrateFirst", "Migrate first", "先に移行"),
    m!("rec.Disable", "Disable", "無効化"),
    m!("rec.Unknown", "Unknown", "不明"),
    m!("rec.BlockedByPolicy", "Blocked by policy", "ポリシーでブロック済み"),
    m!("rec.NoAction", "No action", "対応不要"),
    m!("kind.Person", "a person's mail client", "利用者のメール クライアント"),
    m!("kind.Device", "a device (printer, scanner)", "機器(複合機、スキャナー)"),
    m!("kind.Application", "an application or script", "アプリケーションまたはスクリプト"),
    m!("kind.Unknown", "an unidentified client", "特定できないクライアント"),
    m!(
        "reason.unknown",
        "{setting} is not in the export: request it explicitly.",
        "{setting} がエクスポートに含まれていません。明示的に取得してください。"
    ),
    m!(
        "reason.unknown_smtp",
        "SMTP AUTH inherits the organisation setting ({setting} is $null or missing) and Get-TransportConfig was not given.",
        "SMTP AUTH は組織の設定を継承しています({setting} が $null または未取得)。Get-TransportConfig の出力が指定されていません。"
    ),
    m!(
        "reason.disabled_but_used",
        "{protocol} is disabled, but {succeeded} legacy sign-ins succeeded in the data: the setting changed recently or the data is older than the export.",
        "{protocol} は無効ですが、データ内でレガシー サインインが {succeeded} 件成功しています。設定が最近変更されたか、データがエクスポートより古い可能性があります。"
    ),
    m!("reason.off", "{protocol} is disabled.", "{protocol} は無効です。"),
    m!(
        "reason.blocked_but_used",
        "{protocol} is enabled and the authentication policy '{policy}' blocks Basic, yet {succeeded} legacy sign-ins succeeded: check when the policy was assigned (it takes up to 24 hours).",
        "{protocol} は有効で、認証ポリシー '{policy}' が基本認証をブロックしていますが、レガシー サインインが {succeeded} 件成功しています。ポリシーの割り当て時期を確認してください(反映に最大 24 時間)。"
    ),
    m!(
        "reason.blocked_by_policy",
        "{protocol} is enabled, but the authentication policy '{policy}' blocks Basic authentication for it.",
        "{protocol} は有効ですが、認証ポリシー '{policy}' により基本認証はブロックされています。"
    ),
    m!(
        "reason.disable_stale",
        "{protocol} is enabled; the last legacy sign-in was on {last}, more than {days} days before the end of the data.",
        "{protocol} は有効です。最後のレガシー サインインは {last} で、データ期間の終わりから {days} 日以上前です。"
    ),
    m!(
        "reason.disable_unused",
        "{protocol} is enabled and no legacy sign-in was seen in the last {days} days of the data.",
        "{protocol} は有効ですが、データの直近 {days} 日間にレガシー サインインはありません。"
    ),
    m!(
        "reason.migrate",
        "{protocol} is in use by {client} ({succeeded} successful sign-ins, last on {last}): migrate it first, then disable.",
        "{protocol} は {client} が使用中です(成功 {succeeded} 件、最終 {last})。先に移行してから無効化してください。"
    ),
    m!(
        "reason.failures",
        "Only failed {protocol} sign-ins ({failed}): {assessment}",
        "{protocol} のサインインは失敗のみです({failed} 件)。{assessment}"
    ),
    m!(
        "path.smtp_device",
        "Device: send through an SMTP relay (inbound connector) or direct send; for internal recipients High Volume Email; replace the device if it can do neither.",
        "機器: SMTP リレー(受信コネクタ)またはダイレクト送信に切り替えます。社内宛てなら High Volume Email も使えます。どちらもできない機器は更新を検討してください。"
    ),
    m!(
        "path.smtp_app",
        "Application: use OAuth 2.0 (client credentials) for SMTP AUTH, or Microsoft Graph sendMail; High Volume Email for internal bulk mail.",
        "アプリケーション: SMTP AUTH を OAuth 2.0(クライアント資格情報)に、または Microsoft Graph の sendMail に移行します。社内向け大量送信は High Volume Email。"
    ),
    m!(
        "path.smtp_person",
        "Mail client: switch the account to OAuth (modern authentication) for SMTP, or use Outlook.",
        "メール クライアント: SMTP を OAuth(先進認証)に切り替えるか、Outlook を使用してください。"
    ),
    m!(
        "path.mailbox_app",
        "Application: use OAuth 2.0 (client credentials) for IMAP/POP with an app registration, or Microsoft Graph.",
        "アプリケーション: アプリ登録による IMAP/POP の OAuth 2.0(クライアント資格情報)、または Microsoft Graph に移行します。"
    ),
    m!(
        "path.mailbox_person",
        "Mail client: re-add the account with OAuth (modern authentication), or use Outlook.",
        "メール クライアント: OAuth(先進認証)でアカウントを追加し直すか、Outlook を使用してください。"
    ),
    m!(
        "path.ews_app",
        "Application: move from EWS to Microsoft Graph before the EWS shutdown (phased from Oct 1, 2026, off Apr 1, 2027).",
        "アプリケーション: EWS の停止(2026 年 10 月 1 日から段階的、2027 年 4 月 1 日に停止)までに Microsoft Graph へ移行してください。"
    ),
    m!("cmd.disable", "Turn off unused protocols: {protocols}", "未使用のプロトコルを無効化: {protocols}"),
    m!(
        "cmd.disable_after",
        "After the clients are migrated, turn off: {protocols}",
        "クライアントの移行後に無効化: {protocols}"
    ),
    m!(
        "cmd.revoke",
        "Suspected compromise: revoke refresh tokens (and reset the password).",
        "侵害の疑い: 更新トークンを無効化します(パスワードもリセットしてください)。"
    ),
    m!(
        "cmd.keep_smtp",
        "Keep SMTP AUTH for this mailbox until its client is migrated (before turning it off for the organisation).",
        "クライアントの移行まで、このメールボックスの SMTP AUTH を維持します(組織全体で無効化する前に実行)。"
    ),
    m!(
        "cmd.smtp_org_off",
        "Turn off SMTP AUTH for the organisation; mailboxes set to $false keep it.",
        "組織全体の SMTP AUTH を無効化します。$false を設定したメールボックスは維持されます。"
    ),
    m!(
        "cmd.block_policy",
        "Create an authentication policy that blocks Basic authentication for every protocol.",
        "すべてのプロトコルで基本認証をブロックする認証ポリシーを作成します。"
    ),
    m!(
        "cmd.smtp_policy",
        "Create a temporary policy that allows only Basic SMTP AUTH, for clients not yet migrated.",
        "未移行のクライアント向けに、基本認証の SMTP AUTH のみを許可する一時ポリシーを作成します。"
    ),
    m!(
        "cmd.assign_smtp_policy",
        "Still sends with Basic SMTP AUTH: assign the temporary exception policy.",
        "まだ基本認証の SMTP AUTH で送信しています。一時的な例外ポリシーを割り当てます。"
    ),
    m!(
        "cmd.default_policy",
        "Make the blocking policy the organisation default (takes up to 24 hours).",
        "ブロック ポリシーを組織の既定にします(反映に最大 24 時間)。"
    ),
    m!(
        "tenant.oauth_off",
        "Modern authentication for Outlook (OAuth2ClientProfileEnabled) is off for the organisation.",
        "組織で Outlook の先進認証(OAuth2ClientProfileEnabled)が無効です。"
    ),
    m!(
        "tenant.oauth_off.why",
        "Outlook desktop clients keep using Basic authentication; turn modern authentication on before blocking Basic.",
        "Outlook デスクトップは基本認証を使い続けます。基本認証をブロックする前に先進認証を有効にしてください。"
    ),
    m!(
        "tenant.smtp_org_open",
        "SMTP AUTH is enabled for the whole organisation (Get-TransportConfig).",
        "組織全体で SMTP AUTH が有効です(Get-TransportConfig)。"
    ),
    m!(
        "tenant.smtp_org_open.why",
        "Every mailbox with a $null setting inherits it. Turn it off for the organisation and keep it only on the mailboxes that still need it.",
        "設定が $null のメールボックスはすべてこれを継承します。組織全体で無効化し、必要なメールボックスだけで維持してください。"
    ),
    m!(
        "tenant.transport_missing",
        "The organisation SMTP AUTH setting is unknown: Get-TransportConfig was not given.",
        "組織の SMTP AUTH 設定が不明です。Get-TransportConfig の出力が指定されていません。"
    ),
    m!(
        "tenant.transport_missing.why",
        "Mailboxes with SmtpClientAuthenticationDisabled = $null inherit the organisation value.",
        "SmtpClientAuthenticationDisabled が $null のメールボックスは組織の値を継承します。"
    ),
    m!(
        "tenant.smtp_not_exported",
        "SmtpClientAuthenticationDisabled is missing from the mailbox export.",
        "メールボックスのエクスポートに SmtpClientAuthenticationDisabled がありません。"
    ),
    m!(
        "tenant.smtp_not_exported.why",
        "It is in no Get-EXOCASMailbox property set: request it with -Properties SmtpClientAuthenticationDisabled.",
        "どの Get-EXOCASMailbox プロパティ セットにも含まれません。-Properties SmtpClientAuthenticationDisabled で取得してください。"
    ),
    m!(
        "tenant.no_default_policy",
        "No default authentication policy blocks Basic authentication for the organisation.",
        "組織の既定の認証ポリシーで基本認証がブロックされていません。"
    ),
    m!(
        "tenant.no_default_policy.why",
        "An authentication policy blocks Basic before the password is checked (pre-auth), per protocol, at no extra licence cost.",
        "認証ポリシーはパスワード検証の前に(事前認証で)プロトコルごとに基本認証をブロックでき、追加ライセンスは不要です。"
    ),
    m!(
        "tenant.coverage_short",
        "The usage data covers only {days} days, fewer than the {unused} days used to call a protocol unused.",
        "使用状況データは {days} 日分しかなく、未使用と判断する {unused} 日より短いです。"
    ),
    m!(
        "tenant.coverage_short.why",
        "A client that signs in less often than the data covers is invisible: collect a longer period (Log Analytics keeps more than the 7 or 30 days of Entra ID).",
        "データ期間より間隔の長いクライアントは見えません。より長い期間を収集してください(Log Analytics は Entra ID の 7 日/30 日より長く保持できます)。"
    ),
    m!(
        "script.synopsis",
        "Remediation plan for Basic (legacy) authentication in Exchange Online, generated by ExchangeAuthTools.",
        "ExchangeAuthTools が生成した、Exchange Online の基本(レガシー)認証の是正プランです。"
    ),
    m!(
        "script.description",
        "Generated on {date} with {count} commands. Nothing has been changed: every command ends with -WhatIf.\nReview each command, then remove -WhatIf from the ones you decide to run.\nRun the 'after migration' commands only when the listed clients no longer sign in with Basic authentication.",
        "{date} に生成、コマンド {count} 件。まだ何も変更されていません(すべてのコマンドに -WhatIf が付いています)。\n各コマンドを確認し、実行すると決めたものだけ -WhatIf を外してください。\n「移行後」のコマンドは、対象のクライアントが基本認証でサインインしなくなってから実行してください。"
    ),
    m!(
        "script.connect",
        "Connect first: Connect-ExchangeOnline -UserPrincipalName admin@contoso.com",
        "先に接続してください: Connect-ExchangeOnline -UserPrincipalName admin@contoso.com"
    ),
    m!(
        "script.phase_now",
        "Now (safe: nothing uses what these turn off)",
        "今すぐ(安全: 無効化する対象は使われていません)"
    ),
    m!("script.phase_after", "After migration", "移行後"),
    m!(
        "gr.verdict.Enforced",
        "Legacy authentication is blocked for all users and apps.",
        "すべてのユーザーとアプリでレガシー認証がブロックされています。"
    ),
    m!(
        "gr.verdict.SecurityDefaults",
        "Security Defaults block legacy authentication.",
        "セキュリティの既定値群がレガシー認証をブロックしています。"
    ),
    m!(
        "gr.verdict.ReportOnly",
        "A legacy-authentication block exists only in report-only mode.",
        "レガシー認証のブロックはレポート専用モードのみです。"
    ),
    m!("gr.verdict.Partial", "Legacy authentication is blocked only partly.", "レガシー認証のブロックは部分的です。"),
    m!("gr.verdict.None", "Nothing blocks legacy authentication.", "レガシー認証をブロックするものがありません。"),
    m!(
        "gr.no_block",
        "No Conditional Access policy or Security Defaults block legacy authentication.",
        "レガシー認証をブロックする条件付きアクセス ポリシーもセキュリティの既定値群もありません。"
    ),
    m!(
        "gr.no_block.why",
        "Legacy protocols cannot do MFA: password spray against them works. Block 'Exchange ActiveSync clients' and 'Other clients' for all users and all apps.",
        "レガシー プロトコルは MFA に対応できず、パスワード スプレーが通ります。すべてのユーザーとアプリに対して「Exchange ActiveSync クライアント」と「その他のクライアント」をブロックしてください。"
    ),
    m!(
        "gr.report_only",
        "Policy '{policy}' would block legacy authentication but is in report-only mode.",
        "ポリシー '{policy}' はレガシー認証をブロックする設定ですが、レポート専用モードです。"
    ),
    m!(
        "gr.report_only.why",
        "Report-only policies log what they would do and block nothing. Turn it on once the report shows no legitimate use.",
        "レポート専用ポリシーは記録のみでブロックしません。正当な利用がないことを確認したら有効にしてください。"
    ),
    m!(
        "gr.partial_buckets",
        "Policy '{policy}' blocks only {buckets} of the two legacy client types.",
        "ポリシー '{policy}' は 2 種類のレガシー クライアントのうち {buckets} だけをブロックしています。"
    ),
    m!(
        "gr.partial_buckets.why",
        "'Other clients' covers IMAP, POP, SMTP, EWS, MAPI and the rest; 'Exchange ActiveSync clients' is its own type. Both are needed (the Graph values exchangeActiveSync and other are UNVERIFIED against Microsoft's enum docs).",
        "「その他のクライアント」は IMAP、POP、SMTP、EWS、MAPI などを含み、「Exchange ActiveSync クライアント」は別の種類です。両方が必要です(Graph の値 exchangeActiveSync と other は Microsoft の列挙型ドキュメントで未検証)。"
    ),
    m!(
        "gr.scoped",
        "Policy '{policy}' does not apply to everyone: {scope}.",
        "ポリシー '{policy}' はすべてに適用されていません: {scope}。"
    ),
    m!(
        "gr.scoped.why",
        "Users, apps or conditions outside the policy can still use legacy authentication.",
        "ポリシー対象外のユーザー、アプリ、条件ではレガシー認証を引き続き使用できます。"
    ),
    m!(
        "gr.exclusions",
        "Policy '{policy}' excludes {users} users, {groups} groups and {roles} roles.",
        "ポリシー '{policy}' は {users} ユーザー、{groups} グループ、{roles} ロールを除外しています。"
    ),
    m!(
        "gr.exclusions.why",
        "Excluded accounts keep legacy authentication: keep the list to break-glass accounts and review it.",
        "除外されたアカウントはレガシー認証を使い続けられます。緊急アクセス用アカウントに限定し、定期的に見直してください。"
    ),
    m!(
        "gr.excluded_user_legacy",
        "{user} is excluded from '{policy}' and still signs in with {protocol} ({succeeded} successes, last on {last}).",
        "{user} は '{policy}' から除外されており、{protocol} でサインインを続けています(成功 {succeeded} 件、最終 {last})。"
    ),
    m!(
        "gr.excluded_user_legacy.why",
        "The exclusion is in use: migrate this client, then remove the exclusion.",
        "除外が実際に使われています。クライアントを移行してから除外を解除してください。"
    ),
    m!(
        "gr.success_despite_block",
        "{user} signed in successfully with {protocol} ({succeeded} times, last on {last}) although '{policy}' should block it.",
        "'{policy}' がブロックするはずですが、{user} は {protocol} でサインインに成功しています({succeeded} 件、最終 {last})。"
    ),
    m!(
        "gr.success_despite_block.why",
        "The user may be in an excluded group or role, the policy may be newer than the sign-ins, or a condition may not match. Check the sign-in's Conditional Access result.",
        "除外グループ/ロールに含まれている、ポリシーがサインインより新しい、条件が一致しない等が考えられます。サインインの条件付きアクセスの結果を確認してください。"
    ),
    m!(
        "gr.security_defaults",
        "Security Defaults are on: they block legacy authentication for the whole tenant.",
        "セキュリティの既定値群が有効です。テナント全体でレガシー認証がブロックされます。"
    ),
    m!(
        "gr.security_defaults.why",
        "Security Defaults cannot be combined with Conditional Access; they also disable SMTP AUTH.",
        "セキュリティの既定値群は条件付きアクセスと併用できず、SMTP AUTH も無効になります。"
    ),
    m!(
        "gr.fix_policy",
        "Create or fix a Conditional Access policy: Users = All users (exclude only break-glass accounts), Target resources = All resources, Conditions > Client apps = Exchange ActiveSync clients + Other clients, Grant = Block access; start in report-only mode.",
        "条件付きアクセス ポリシーを作成または修正: ユーザー = すべてのユーザー(除外は緊急アクセス用のみ)、対象リソース = すべてのリソース、条件 > クライアント アプリ = Exchange ActiveSync クライアント + その他のクライアント、許可 = アクセスのブロック。まずレポート専用モードで開始します。"
    ),
    m!("report.title", "Legacy authentication report", "レガシー認証レポート"),
    m!(
        "report.generated",
        "Generated {date} · data from {first} to {last}",
        "生成日時 {date} ・データ期間 {first} ~ {last}"
    ),
    m!("report.card.total", "Legacy sign-ins", "レガシー サインイン"),
    m!("report.card.succeeded", "Succeeded", "成功"),
    m!("report.card.failed", "Failed", "失敗"),
    m!("report.card.users", "Accounts with legacy successes", "レガシー認証で成功したアカウント"),
    m!("report.card.spray_ips", "Password-spray IPs", "パスワード スプレー元 IP"),
    m!("report.card.compromise", "Suspected compromises", "侵害の疑い"),
    m!("report.card.mailboxes", "Mailboxes checked", "確認したメールボックス"),
    m!("report.card.disable", "Mailboxes to disable", "無効化するメールボックス"),
    m!("report.card.migrate", "Mailboxes to migrate first", "先に移行するメールボックス"),
    m!("report.card.investigate", "Mailboxes to investigate", "調査するメールボックス"),
    m!("report.card.guardrails", "Guard rails", "ガードレール"),
    m!("report.section.timeline", "Legacy sign-ins per day by protocol", "プロトコル別の日次レガシー サインイン"),
    m!("report.section.top", "Top users, apps, IP addresses and countries", "上位のユーザー、アプリ、IP アドレス、国"),
    m!("report.section.attack", "Real use versus attacks", "実利用と攻撃"),
    m!("report.section.guardrails", "Tenant guard rails", "テナントのガードレール"),
    m!(
        "report.section.outlook",
        "Outlook and Office modern-authentication readiness (registry)",
        "Outlook と Office の先進認証の準備状況(レジストリ)"
    ),
    m!("report.section.exo", "Exchange Online PowerShell readiness", "Exchange Online PowerShell の準備状況"),
    m!("report.section.other_findings", "Other findings", "その他の検出事項"),
    m!("report.section.plan", "Per-mailbox plan", "メールボックスごとのプラン"),
    m!("report.section.tenant_plan", "Tenant-wide changes", "テナント全体の変更"),
    m!("report.section.usage", "Legacy usage by user and protocol", "ユーザー・プロトコル別のレガシー利用"),
    m!("report.top.users", "Users", "ユーザー"),
    m!("report.top.apps", "Applications", "アプリケーション"),
    m!("report.top.ips", "IP addresses", "IP アドレス"),
    m!("report.top.countries", "Countries", "国"),
    m!("report.attack.real", "Real use (successes)", "実利用(成功)"),
    m!("report.attack.spray", "Password spray / brute force (failures)", "パスワード スプレー/ブルート フォース(失敗)"),
    m!("report.attack.stale", "Other failures (stale devices)", "その他の失敗(古い機器など)"),
    m!("report.attack.compromise", "Successes from spray IPs", "スプレー元 IP からの成功"),
    m!("report.col.user", "User", "ユーザー"),
    m!("report.col.protocol", "Protocol", "プロトコル"),
    m!("report.col.total", "Total", "合計"),
    m!("report.col.succeeded", "Succeeded", "成功"),
    m!("report.col.failed", "Failed", "失敗"),
    m!("report.col.last", "Last seen", "最終確認"),
    m!("report.col.ips", "IPs", "IP 数"),
    m!("report.col.agents", "User agents", "ユーザー エージェント"),
    m!("report.col.assessment", "Assessment", "評価"),
    m!("report.col.mailbox", "Mailbox", "メールボックス"),
    m!("report.col.open", "Open protocols", "有効なプロトコル"),
    m!("report.col.recommendation", "Recommendation", "推奨"),
    m!("report.col.severity", "Severity", "重要度"),
    m!("report.col.reason", "Why", "理由"),
    m!("report.col.commands", "Commands (-WhatIf)", "コマンド(-WhatIf)"),
    m!("report.col.target", "Target", "対象"),
    m!("report.col.finding", "Finding", "検出事項"),
    m!("report.col.fix", "Fix", "対処"),
    m!("report.col.source", "Source", "ソース"),
    m!("report.col.client", "Client", "クライアント"),
    m!("report.filter", "Filter…", "絞り込み…"),
    m!("report.copy", "Copy", "コピー"),
    m!("report.copied", "Copied", "コピーしました"),
    m!("report.none", "Nothing to show.", "表示する項目はありません。"),
    m!("report.unverified", "unverified", "未検証"),
    m!(
        "report.more_rows",
        "Showing the first {shown} of {total} rows; the CSV and JSON have all of them.",
        "全 {total} 行のうち先頭 {shown} 行を表示しています。CSV と JSON にはすべて含まれます。"
    ),
    m!(
        "report.footer",
        "Generated by ExchangeAuthTools. This report changes nothing: commands are for review and carry -WhatIf.",
        "ExchangeAuthTools が生成しました。このレポートは何も変更しません。コマンドは確認用で -WhatIf 付きです。"
    ),
    m!(
        "report.note_oauth",
        "Disabling a protocol also stops OAuth clients that use it; the sign-in data shows legacy use only.",
        "プロトコルを無効化すると、そのプロトコルを使う OAuth クライアントも停止します。サインイン データはレガシー利用のみを示します。"
    ),
    m!(
        "cli.exposure_summary",
        "{mailboxes} mailboxes: {disable} to disable, {migrate} to migrate first, {investigate} to investigate, {unknown} unknown.",
        "メールボックス {mailboxes} 件: 無効化 {disable} 件、先に移行 {migrate} 件、調査 {investigate} 件、不明 {unknown} 件。"
    ),
    m!(
        "cli.script_written",
        "Wrote the remediation script {path}: every command has -WhatIf; nothing was changed.",
        "是正スクリプト {path} を書き出しました。すべてのコマンドに -WhatIf が付いており、何も変更していません。"
    ),
    m!("cli.report_written", "Wrote {path} ({bytes} bytes)", "{path} を書き出しました({bytes} バイト)"),
    m!(
        "retire.basic_2022",
        "Basic authentication turned off in Exchange Online for EWS, EAS, POP, IMAP, MAPI, RPC, OAB and remote PowerShell (tenants chosen at random, 7 days' notice).",
        "Exchange Online の EWS、EAS、POP、IMAP、MAPI、RPC、OAB、リモート PowerShell で基本認証の無効化が開始(テナントを無作為に選び 7 日前に通知)。"
    ),
    m!(
        "retire.basic_2023",
        "Basic authentication for those protocols permanently off; it cannot be re-enabled.",
        "これらのプロトコルの基本認証が恒久的に無効化され、再有効化はできません。"
    ),
    m!(
        "retire.rps",
        "Remote PowerShell (RPS) disabled for all worldwide tenants; no re-enablement.",
        "すべてのワールドワイド テナントでリモート PowerShell (RPS) が無効化され、再有効化はできません。"
    ),
    m!(
        "retire.smtp_default_off",
        "Basic SMTP AUTH disabled by default for existing tenants (admins can re-enable it); unavailable by default for new tenants.",
        "既存テナントで基本認証の SMTP AUTH が既定で無効化(管理者は再有効化可能)。新規テナントでは既定で利用不可。"
    ),
    m!(
        "retire.smtp_final",
        "Final removal of Basic SMTP AUTH (date to be announced).",
        "基本認証の SMTP AUTH を最終的に廃止(日付は後日発表)。"
    ),
    m!("retire.ews_phased", "EWS in Exchange Online disabled in phases.", "Exchange Online の EWS が段階的に無効化。"),
    m!("retire.ews_shutdown", "EWS in Exchange Online shut down for good.", "Exchange Online の EWS が完全に停止。"),
    m!(
        "report.unmatched",
        "{count} accounts signed in successfully with legacy clients but have no mailbox in the export:",
        "次の {count} 個のアカウントはレガシー クライアントでのサインインに成功していますが、エクスポートにメールボックスがありません:"
    ),
    // The PowerShell module's own messages (loader, parameter checks, progress). `ps.` keys are
    // written to powershell/<culture>/ExchangeAuthTools.Strings.psd1 by `exauth messages --psd1`
    // (without the prefix); a test fails when those files are stale.
    m!(
        "ps.LoaderUnsupportedPlatform",
        "ExchangeAuthTools has no native library for {os} on {architecture}. Supported platforms: win-x64, win-arm64, linux-x64, linux-arm64, osx-x64, osx-arm64.",
        "ExchangeAuthTools には {os} ({architecture}) 用のネイティブ ライブラリがありません。対応プラットフォーム: win-x64、win-arm64、linux-x64、linux-arm64、osx-x64、osx-arm64。"
    ),
    m!(
        "ps.LoaderNotFound",
        "The ExchangeAuthTools native library for {rid} (OS: {os}, architecture: {architecture}) was not found at '{path}'. Reinstall the module, or build it from source with ./build.ps1.",
        "{rid} 用の ExchangeAuthTools ネイティブ ライブラリ (OS: {os}、アーキテクチャ: {architecture}) が '{path}' に見つかりません。モジュールを再インストールするか、./build.ps1 でソースからビルドしてください。"
    ),
    m!(
        "ps.LoaderLoadFailed",
        "The ExchangeAuthTools native library '{path}' could not be loaded: {reason}",
        "ExchangeAuthTools ネイティブ ライブラリ '{path}' を読み込めませんでした: {reason}"
    ),
    m!(
        "ps.LoaderAddTypeFailed",
        "The ExchangeAuthTools C# interop could not be compiled (Add-Type needs FullLanguage mode and a writable TEMP folder): {reason}",
        "ExchangeAuthTools の C# 相互運用コードをコンパイルできませんでした (Add-Type には FullLanguage モードと書き込み可能な TEMP フォルダーが必要です): {reason}"
    ),
    m!(
        "ps.LoaderAbiMismatch",
        "The ExchangeAuthTools native library '{path}' implements ABI version {found}, but this module needs ABI version {expected}. Reinstall the module so that the scripts and the library come from the same release.",
        "ExchangeAuthTools ネイティブ ライブラリ '{path}' の ABI バージョンは {found} ですが、このモジュールには ABI バージョン {expected} が必要です。スクリプトとライブラリが同じリリースになるよう、モジュールを再インストールしてください。"
    ),
    m!(
        "ps.PathNotFound",
        "Cannot find path '{path}' because it does not exist.",
        "パス '{path}' が存在しないため見つかりません。"
    ),
    m!(
        "ps.PathNotFileSystem",
        "'{path}' is on the {provider} provider: ExchangeAuthTools reads files and folders only.",
        "'{path}' は {provider} プロバイダーのパスです。ExchangeAuthTools が読み取れるのはファイルとフォルダーだけです。"
    ),
    m!(
        "ps.NoInput",
        "No input to read: every path given was skipped.",
        "読み取る入力がありません。指定されたパスはすべてスキップされました。"
    ),
    m!(
        "ps.TimeRangeEmpty",
        "-Since ({since}) must be earlier than -Until ({until}).",
        "-Since ({since}) は -Until ({until}) より前の日時を指定してください。"
    ),
    m!("ps.ProgressReading", "Reading sign-in logs", "サインイン ログを読み取り中"),
    m!("ps.ProgressSummarising", "Summarising sign-in logs", "サインイン ログを集計中"),
    m!(
        "ps.ProgressStatus",
        "{items} sign-ins found, {percent}% of {megabytes} MB read",
        "{items} 件のサインインを検出、{megabytes} MB 中 {percent}% を読み取り済み"
    ),
    m!(
        "ps.ProblemsNotShown",
        "{hidden} more problems were found but not kept: only the first {kept} are reported.",
        "さらに {hidden} 件の問題が見つかりましたが保持されていません。報告されているのは最初の {kept} 件だけです。"
    ),
    m!("ps.VerboseStart", "{operation}: reading {count} path(s)", "{operation}: {count} 個のパスを読み取ります"),
    m!(
        "ps.NoMailbox",
        "No mailbox to evaluate: pipe CAS mailbox objects (Get-EXOCASMailbox -PropertySets All -Properties SmtpClientAuthenticationDisabled) or give -MailboxPath.",
        "評価するメールボックスがありません。CAS メールボックス オブジェクト (Get-EXOCASMailbox -PropertySets All -Properties SmtpClientAuthenticationDisabled) をパイプで渡すか、-MailboxPath を指定してください。"
    ),
    m!(
        "ps.NoUsage",
        "Give -Usage (objects from Measure-LegacyAuthUsage) or -UsagePath (sign-in files or summary JSON): without usage every enabled protocol would look unused.",
        "-Usage (Measure-LegacyAuthUsage の出力) または -UsagePath (サインイン ログ ファイルか集計 JSON) を指定してください。利用状況がないと、有効なプロトコルがすべて未使用に見えてしまいます。"
    ),
    m!(
        "ps.UsageOtherGrouping",
        "{count} UsageSummary rows are not grouped by UserProtocol and were not used for the per-mailbox evaluation (use Measure-LegacyAuthUsage -By UserProtocol, the default).",
        "UserProtocol 以外で集計された UsageSummary {count} 行は、メールボックスごとの評価に使われませんでした (Measure-LegacyAuthUsage -By UserProtocol (既定) を使ってください)。"
    ),
    m!(
        "ps.ExposureCounts",
        "{mailboxes} mailboxes: {disable} to disable now, {migrateFirst} to migrate first, {investigate} to investigate; usage covers {days} days.",
        "メールボックス {mailboxes} 件: すぐに無効化 {disable} 件、先に移行 {migrateFirst} 件、要調査 {investigate} 件。利用状況は {days} 日分です。"
    ),
    m!(
        "ps.BlockVerdict",
        "Legacy authentication block: {verdict}. {policies} Conditional Access policies read; Security Defaults enabled: {securityDefaults}.",
        "レガシー認証のブロック: {verdict}。条件付きアクセス ポリシー {policies} 件を読み取りました。セキュリティの既定値群の有効化: {securityDefaults}。"
    ),
    m!(
        "ps.ReportFormatUnknown",
        "Cannot tell the report format from '{path}': name the file .html, .csv or .json, or give -Format.",
        "'{path}' からレポートの形式を判断できません。ファイル名を .html、.csv、.json のいずれかにするか、-Format を指定してください。"
    ),
    m!(
        "ps.WriteReport",
        "Write the legacy authentication report ({format}, {culture})",
        "レガシー認証レポートを書き込む ({format}、{culture})"
    ),
    m!(
        "ps.WriteScript",
        "Write the remediation script (every command ends with -WhatIf)",
        "修正スクリプトを書き込む (すべてのコマンドは -WhatIf 付き)"
    ),
    m!(
        "ps.RegistryWindowsOnly",
        "Enable-OutlookModernAuth changes the Windows registry, and this is {os}: use -AsRegFile to write the .reg file to import on the Windows machines.",
        "Enable-OutlookModernAuth は Windows のレジストリを変更します。この環境は {os} です。-AsRegFile で .reg ファイルを書き出し、Windows マシンでインポートしてください。"
    ),
    m!("ps.RegistrySet", "Set {name} to {value} ({type})", "{name} を {value} ({type}) に設定"),
    m!("ps.RegistryRemove", "Remove {name}", "{name} を削除"),
    m!("ps.WriteRegFile", "Write the registry file (.reg)", "レジストリ ファイル (.reg) を書き込む"),
    m!(
        "ps.VerboseDone",
        "{operation}: {files} files, {records} records read, {skipped} skipped, {problems} problems",
        "{operation}: {files} ファイル、{records} レコードを読み取り、{skipped} 件をスキップ、問題 {problems} 件"
    ),
    // ---- Reading .reg files and hives (src/registry/regfile.rs, hive.rs, fleet.rs).
    m!(
        "reg.parse.not_a_reg_file",
        "expected '{v5}' or '{v4}' as the first line, found '{found}'",
        "1 行目に '{v5}' または '{v4}' が必要ですが、'{found}' でした"
    ),
    m!("reg.parse.empty_file", "the file is empty", "ファイルが空です"),
    m!(
        "reg.parse.key_line",
        "a key line must be [HKEY_…\\path], found '{found}'",
        "キーの行は [HKEY_…\\パス] の形が必要ですが、'{found}' でした"
    ),
    m!(
        "reg.parse.unknown_root",
        "unknown root '{root}': expected HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, HKEY_USERS, HKEY_CLASSES_ROOT or HKEY_CURRENT_CONFIG",
        "不明なルート '{root}': HKEY_CURRENT_USER、HKEY_LOCAL_MACHINE、HKEY_USERS、HKEY_CLASSES_ROOT、HKEY_CURRENT_CONFIG のいずれかが必要です"
    ),
    m!("reg.parse.expected_quote", "expected '\"'", "'\"' が必要です"),
    m!(
        "reg.parse.unterminated",
        "unterminated string (missing closing '\"')",
        "文字列が閉じていません(終わりの '\"' がありません)"
    ),
    m!(
        "reg.parse.expected_equals",
        "expected '=' after the value name \"{name}\"",
        "値の名前 \"{name}\" の後に '=' が必要です"
    ),
    m!(
        "reg.parse.text_after_string",
        "unexpected text after the string: '{rest}'",
        "文字列の後に余分な文字があります: '{rest}'"
    ),
    m!(
        "reg.parse.dword_digits",
        "dword: needs 1 to 8 hex digits, found '{hex}'",
        "dword: 1 ～ 8 桁の 16 進数が必要ですが、'{hex}' でした"
    ),
    m!("reg.parse.dword_not_hex", "dword: '{hex}' is not hexadecimal", "dword: '{hex}' は 16 進数ではありません"),
    m!("reg.parse.hex_type_missing", "expected hex(N):", "hex(N): の形が必要です"),
    m!("reg.parse.hex_type_not_hex", "hex({kind}): type is not hexadecimal", "hex({kind}): 型が 16 進数ではありません"),
    m!(
        "reg.parse.unknown_data",
        "unknown data '{data}': expected \"string\", dword:, hex:, hex(N): or -",
        "不明なデータ '{data}': \"文字列\"、dword:、hex:、hex(N):、- のいずれかが必要です"
    ),
    m!("reg.parse.not_hex_byte", "'{byte}' is not a hex byte", "'{byte}' は 16 進数のバイトではありません"),
    m!(
        "reg.parse.wrong_size",
        "{what} needs {need} bytes, found {found}",
        "{what} には {need} バイトが必要ですが、{found} バイトでした"
    ),
    m!(
        "reg.parse.value_under_deletion",
        "a value line under a key deletion [-…] is ignored",
        "キーの削除 [-…] の下の値の行は無視されます"
    ),
    m!(
        "reg.parse.value_before_key",
        "a value line before any [key] line is ignored",
        "[キー] の行より前の値の行は無視されます"
    ),
    m!("reg.parse.in_name", "value name: {error}", "値の名前: {error}"),
    m!("reg.parse.in_value", "value \"{name}\": {error}", "値 \"{name}\": {error}"),
    m!(
        "reg.hive.damaged",
        "the hive is damaged: the parser stopped on malformed cells",
        "ハイブが壊れています: 不正なセルで解析が止まりました"
    ),
    m!(
        "reg.hive.unreadable",
        "not a readable registry hive: {error}",
        "読み取れるレジストリ ハイブではありません: {error}"
    ),
    m!("reg.hive.no_root", "cannot read the hive's root key: {error}", "ハイブのルート キーを読み取れません: {error}"),
    m!(
        "reg.hive.unknown",
        "neither a user hive (NTUSER.DAT: no Software key) nor a SOFTWARE hive (no Microsoft key)",
        "ユーザー ハイブ(NTUSER.DAT: Software キーがない)でも SOFTWARE ハイブ(Microsoft キーがない)でもありません"
    ),
    m!(
        "reg.profile.missing",
        "profile '{profile}' is not in the file (found: {found})",
        "プロファイル '{profile}' はファイルにありません(あったもの: {found})"
    ),
    m!(
        "reg.profile.ambiguous",
        "the file holds {count} profiles ({found}); name one with --profile",
        "ファイルには {count} 個のプロファイル({found})があります: --profile で 1 つ指定してください"
    ),
    // ---- Outlook / Office modern-auth registry rules (src/registry/rules.rs; DOMAIN.md §5, §5.1, §8).
    m!(
        "reg.office.none",
        "No Office installation found in this profile (no Software\\Microsoft\\Office\\<n>.0 key, no Click-to-Run version).",
        "このプロファイルに Office は見つかりませんでした(Software\\Microsoft\\Office\\<n>.0 キーも Click-to-Run のバージョンもありません)。"
    ),
    m!(
        "reg.office.impossible",
        "{product} ({version}) cannot use modern authentication: Outlook can only sign in to Exchange Online with Basic authentication, which is turned off.",
        "{product} ({version}) は先進認証を使用できません。Outlook は基本認証でしか Exchange Online にサインインできず、基本認証は無効化されています。"
    ),
    m!(
        "reg.office.2013",
        "{product} ({version}) is out of support; it can use modern authentication only with the EnableADAL and Version keys.",
        "{product} ({version}) はサポートが終了しています。EnableADAL と Version のキーがある場合に限り先進認証を使用できます。"
    ),
    m!(
        "reg.office.ok",
        "{product} ({version}): the modern-authentication settings are correct.",
        "{product} ({version}): 先進認証の設定は正しく構成されています。"
    ),
    m!(
        "office.support.16",
        "Office 2016 and 2019: connectivity support ended Oct 10, 2023, product support Oct 14, 2025. Office LTSC 2021: connectivity until Oct 13, 2026; LTSC 2024: until Oct 13, 2029; Microsoft 365 Apps while on a supported version.",
        "Office 2016 と 2019: 接続サポートは 2023 年 10 月 10 日、製品サポートは 2025 年 10 月 14 日に終了。Office LTSC 2021 の接続サポートは 2026 年 10 月 13 日まで、LTSC 2024 は 2029 年 10 月 13 日まで、Microsoft 365 Apps はサポートされるバージョンである限り有効です。"
    ),
    m!(
        "office.support.15",
        "Office 2013: connectivity support for Microsoft 365 ended Oct 13, 2020 and product support Apr 11, 2023. Basic authentication for Outlook protocols (MAPI, RPC, EWS, OAB, Autodiscover) has been off in Exchange Online since Oct 1, 2022 (permanently since early January 2023).",
        "Office 2013: Microsoft 365 への接続サポートは 2020 年 10 月 13 日、製品サポートは 2023 年 4 月 11 日に終了しました。Exchange Online では Outlook のプロトコル(MAPI、RPC、EWS、OAB、Autodiscover)の基本認証は 2022 年 10 月 1 日から無効です(2023 年 1 月上旬から恒久的に無効)。"
    ),
    m!(
        "office.support.old",
        "Office 2010 and older cannot do modern authentication. Basic authentication for Outlook protocols has been off in Exchange Online since Oct 1, 2022 (permanently since early January 2023), so these versions cannot connect.",
        "Office 2010 以前は先進認証を使用できません。Exchange Online では Outlook のプロトコルの基本認証が 2022 年 10 月 1 日から無効(2023 年 1 月上旬から恒久的に無効)のため、これらのバージョンは接続できません。"
    ),
    m!(
        "reg.fix.upgrade",
        "Upgrade to Microsoft 365 Apps (or Office LTSC 2024) and remove the old Office version.",
        "Microsoft 365 Apps(または Office LTSC 2024)にアップグレードし、古い Office を削除してください。"
    ),
    m!(
        "reg.2013.enable_adal",
        "{name} is not 1 for {product}: modern authentication (ADAL) is off, so Outlook tries Basic authentication and cannot connect.",
        "{product} の {name} が 1 ではありません。先進認証 (ADAL) が無効のため、Outlook は基本認証を試みて接続できません。"
    ),
    m!(
        "reg.2013.version",
        "{name} is not 1 for {product}: it is required together with EnableADAL=1 for modern authentication.",
        "{product} の {name} が 1 ではありません。先進認証には EnableADAL=1 と合わせてこの値が必要です。"
    ),
    m!(
        "reg.autodiscover",
        "{name} is not 1: Autodiscover and EWS may still try Basic authentication.",
        "{name} が 1 ではありません。Autodiscover と EWS が基本認証を試みる可能性があります。"
    ),
    m!(
        "reg.16.enable_adal_off",
        "{name}=0 turns modern authentication off for {product}: Outlook uses Basic authentication and cannot connect to Exchange Online.",
        "{name}=0 により {product} の先進認証が無効になっています。Outlook は基本認証を使用し、Exchange Online に接続できません。"
    ),
    m!(
        "reg.16.wam",
        "{name}=1 stops Office from using the Web Account Manager (WAM) for sign-in.",
        "{name}=1 により Office がサインインに Web アカウント マネージャー (WAM) を使用しなくなります。"
    ),
    m!(
        "reg.why.2013",
        "Office 2013 uses Basic authentication unless EnableADAL=1 and Version=1 are set; Basic authentication for Outlook protocols has been off in Exchange Online since Oct 1, 2022 (permanently since early January 2023).",
        "Office 2013 は EnableADAL=1 と Version=1 がない限り基本認証を使用します。Exchange Online の Outlook プロトコルの基本認証は 2022 年 10 月 1 日から無効です(2023 年 1 月上旬から恒久的に無効)。"
    ),
    m!(
        "reg.why.autodiscover",
        "AlwaysUseMSOAuthForAutoDiscover=1 forces modern authentication for Autodiscover/EWS in Outlook 2013/2016/2019; Basic authentication for Autodiscover and EWS has been off since Oct 1, 2022.",
        "AlwaysUseMSOAuthForAutoDiscover=1 は Outlook 2013/2016/2019 の Autodiscover/EWS に先進認証を強制します。Autodiscover と EWS の基本認証は 2022 年 10 月 1 日から無効です。"
    ),
    m!(
        "reg.why.16_basic",
        "With EnableADAL=0, Office 2016/2019 use Basic authentication for Exchange Online, which has been off since Oct 1, 2022 (permanently since early January 2023).",
        "EnableADAL=0 の場合、Office 2016/2019 は Exchange Online に基本認証を使用しますが、基本認証は 2022 年 10 月 1 日から無効です(2023 年 1 月上旬から恒久的に無効)。"
    ),
    m!(
        "reg.why.wam",
        "Without WAM, Continuous Access Evaluation is not supported on Semi-Annual Enterprise Channel, and sign-in falls back to older flows.",
        "WAM を使用しない場合、半期エンタープライズ チャネルでは継続的アクセス評価 (CAE) がサポートされず、サインインは古い方式に戻ります。"
    ),
    m!(
        "reg.wrong_type",
        "{name} has type {type}; Office reads it only as REG_DWORD, so the value has no effect.",
        "{name} の種類が {type} です。Office は REG_DWORD としてのみ読み取るため、この値は効果がありません。"
    ),
    m!(
        "reg.policy_unverified",
        "The value comes from the policy key, which wins over the user key; that Microsoft reads this value under Policies is UNVERIFIED.",
        "この値はユーザー キーより優先されるポリシー キーから読み取りました。Microsoft がこの値を Policies 配下で読み取ることは未検証 (UNVERIFIED) です。"
    ),
    m!(
        "reg.path_unverified",
        "(The registry path is only partially verified against Microsoft sources.)",
        "(このレジストリ パスは Microsoft の資料で一部しか確認できていません。)"
    ),
    m!(
        "reg.fix.policy",
        "Change the Group Policy / Intune setting that writes this policy value; on this machine:",
        "このポリシー値を書き込んでいるグループ ポリシー / Intune の設定を変更してください。この端末では:"
    ),
    m!(
        "reg.summary",
        "{files} files, {machines} machines, {profiles} profiles, {findings} findings to act on, {problems} problems",
        "{files} ファイル、{machines} 台、{profiles} プロファイル、対応が必要な検出 {findings} 件、問題 {problems} 件"
    ),
    m!("reg.fix.written", "Wrote {path}", "{path} を書き込みました"),
    // ---- Exchange Online PowerShell readiness (src/exo/rules.rs; DOMAIN.md §6, §8).
    m!(
        "exo.lookalike",
        "Module '{name}' {version} is a look-alike of ExchangeOnlineManagement (installed at {path}): it is not Microsoft's module and may steal the credentials and tokens you type into it.",
        "モジュール '{name}' {version} は ExchangeOnlineManagement に似せた偽物です({path} にインストール)。Microsoft のモジュールではなく、入力した資格情報やトークンを盗む可能性があります。"
    ),
    m!(
        "exo.wrong_publisher",
        "A module named ExchangeOnlineManagement {version} has GUID {guid} and author '{author}' (at {path}): not Microsoft's module.",
        "ExchangeOnlineManagement {version} という名前のモジュールの GUID が {guid}、作成者が '{author}' です({path})。Microsoft のモジュールではありません。"
    ),
    m!(
        "exo.why.lookalike",
        "Look-alike packages of ExchangeOnlineManagement exist on the PowerShell Gallery (ExchangeOnlineManagment, Exchange-OnlineManagement, ExchangeOnlineMangement; updated Aug 2026). The genuine module has GUID B5ECED50-AFA4-455B-847A-D8FB64140A22 and author Microsoft Corporation. Remove it, then change the passwords and revoke the sessions of every account used in a shell where it was loaded.",
        "PowerShell ギャラリーには ExchangeOnlineManagement に似せたパッケージ(ExchangeOnlineManagment、Exchange-OnlineManagement、ExchangeOnlineMangement。2026 年 8 月更新)が存在します。正規のモジュールは GUID B5ECED50-AFA4-455B-847A-D8FB64140A22、作成者 Microsoft Corporation です。削除したうえで、読み込まれたシェルで使用したすべてのアカウントのパスワードを変更し、セッションを取り消してください。"
    ),
    m!(
        "exo.ps.desktop_old",
        "Windows PowerShell {version} is older than 5.1: the ExchangeOnlineManagement module needs Windows PowerShell 5.1 (with .NET Framework 4.7.2) or PowerShell 7.",
        "Windows PowerShell {version} は 5.1 より古いバージョンです。ExchangeOnlineManagement モジュールには Windows PowerShell 5.1(.NET Framework 4.7.2)または PowerShell 7 が必要です。"
    ),
    m!(
        "exo.dotnet_old",
        ".NET Framework release {release} is older than 4.7.2, which the ExchangeOnlineManagement module needs on Windows PowerShell 5.1.",
        ".NET Framework のリリース {release} は 4.7.2 より古いバージョンです。Windows PowerShell 5.1 で ExchangeOnlineManagement モジュールを使うには 4.7.2 以降が必要です。"
    ),
    m!(
        "exo.ps.core_old",
        "PowerShell {version} cannot run any supported ExchangeOnlineManagement V3 version (they need PowerShell {min} or later).",
        "PowerShell {version} ではサポートされている ExchangeOnlineManagement V3 を実行できません(PowerShell {min} 以降が必要です)。"
    ),
    m!(
        "exo.fix.upgrade_ps",
        "Upgrade PowerShell to 7.6 or later (https://aka.ms/powershell), or use Windows PowerShell 5.1; or pin a module version this PowerShell supports:",
        "PowerShell を 7.6 以降にアップグレードするか(https://aka.ms/powershell)、Windows PowerShell 5.1 を使用してください。または、この PowerShell で動作するモジュールのバージョンに固定してください:"
    ),
    m!(
        "exo.why.module",
        "ExchangeOnlineManagement 3.10.1 is the current release. PowerShell 7 minimums: 3.10.0+ needs 7.6.0+, 3.5.0-3.9.2 need 7.4.0+, 3.0.0-3.4.0 need 7.2.0+; every version runs on Windows PowerShell 5.1 with .NET Framework 4.7.2.",
        "ExchangeOnlineManagement の最新リリースは 3.10.1 です。PowerShell 7 の最小バージョン: 3.10.0 以降は 7.6.0 以降、3.5.0~3.9.2 は 7.4.0 以降、3.0.0~3.4.0 は 7.2.0 以降。すべてのバージョンが .NET Framework 4.7.2 の Windows PowerShell 5.1 で動作します。"
    ),
    m!(
        "exo.module.missing",
        "The {module} module is not installed: Exchange Online PowerShell needs it (REST, V3).",
        "{module} モジュールがインストールされていません。Exchange Online PowerShell (REST、V3) に必要です。"
    ),
    m!(
        "exo.module.needs_newer_ps",
        "ExchangeOnlineManagement {module} needs PowerShell {min} or later; this is PowerShell {ps}, so the module will not load.",
        "ExchangeOnlineManagement {module} には PowerShell {min} 以降が必要です。この PowerShell は {ps} のため、モジュールを読み込めません。"
    ),
    m!(
        "exo.module.v2",
        "ExchangeOnlineManagement {version} is a V2 module from the remote PowerShell era: most cmdlets used remote PowerShell, which is retired.",
        "ExchangeOnlineManagement {version} はリモート PowerShell 時代の V2 モジュールです。大半のコマンドレットが廃止済みのリモート PowerShell を使用します。"
    ),
    m!(
        "exo.why.rps",
        "Remote PowerShell (RPS) and Basic authentication for Exchange Online PowerShell were disabled for all worldwide tenants on Oct 1, 2023 and cannot be re-enabled; the V3 module uses REST. -UseRPSSession is deprecated from 3.9.2.",
        "Exchange Online PowerShell のリモート PowerShell (RPS) と基本認証は、2023 年 10 月 1 日にすべてのワールドワイド テナントで無効化され、再有効化できません。V3 モジュールは REST を使用します。-UseRPSSession は 3.9.2 から非推奨です。"
    ),
    m!(
        "exo.module.outdated",
        "ExchangeOnlineManagement {version} is installed; {latest} is the newest this PowerShell can run.",
        "ExchangeOnlineManagement {version} がインストールされています。この PowerShell で実行できる最新版は {latest} です。"
    ),
    m!(
        "exo.module.loaded_old",
        "This session has ExchangeOnlineManagement {loaded} loaded although {installed} is installed.",
        "{installed} がインストールされていますが、このセッションには ExchangeOnlineManagement {loaded} が読み込まれています。"
    ),
    m!(
        "exo.powershellget.missing",
        "PowerShellGet is not installed: on Windows, REST connections of the ExchangeOnlineManagement module need PowerShellGet (error 'Cannot find a cmdlet Update-Manifest').",
        "PowerShellGet がインストールされていません。Windows では ExchangeOnlineManagement モジュールの REST 接続に PowerShellGet が必要です(エラー 'Cannot find a cmdlet Update-Manifest')。"
    ),
    m!(
        "exo.psresourceget_unverified",
        "PSResourceGet is installed, but whether it satisfies this dependency is UNVERIFIED.",
        "PSResourceGet はインストールされていますが、この依存関係を満たすかどうかは未検証 (UNVERIFIED) です。"
    ),
    m!(
        "exo.why.powershellget",
        "REST connections in Windows need PowerShellGet and PackageManagement; preview versions of either can break connections.",
        "Windows の REST 接続には PowerShellGet と PackageManagement が必要です。どちらもプレビュー版では接続が失敗することがあります。"
    ),
    m!(
        "exo.package.preview",
        "{name} {version} is a preview version; preview versions can break Exchange Online connections.",
        "{name} {version} はプレビュー版です。プレビュー版では Exchange Online への接続が失敗することがあります。"
    ),
    m!("exo.expected.ga", "a GA (non-preview) version", "GA(非プレビュー)版"),
    m!(
        "exo.tls12",
        "TLS 1.2 is not enabled for .NET in this Windows PowerShell session ({current}): installing the module from the PowerShell Gallery fails.",
        "この Windows PowerShell セッションでは .NET の TLS 1.2 が有効ではありません({current})。PowerShell ギャラリーからモジュールをインストールできません。"
    ),
    m!(
        "exo.why.tls",
        "In Windows PowerShell 5.1 the PowerShell Gallery requires TLS 1.2 or later; Microsoft 365 has required TLS 1.2+ since Oct 15, 2020.",
        "Windows PowerShell 5.1 では PowerShell ギャラリーに TLS 1.2 以降が必要です。Microsoft 365 は 2020 年 10 月 15 日から TLS 1.2 以降を必須としています。"
    ),
    m!(
        "exo.proxy.windows",
        "A proxy is configured ({proxies}). The V2-era advice (New-PSSessionOption -ProxyAccessType IEConfig passed with -PSSessionOption) does not work with REST connections, and there is no documented proxy parameter: REST uses the system proxy settings (that the module follows Internet Options / WinHTTP exactly is UNVERIFIED). Connect and check with Get-ConnectionInformation.",
        "プロキシが構成されています({proxies})。V2 時代の方法(New-PSSessionOption -ProxyAccessType IEConfig を -PSSessionOption で渡す)は REST 接続では機能せず、プロキシ用の文書化されたパラメーターもありません。REST はシステムのプロキシ設定を使用します(モジュールがインターネット オプション / WinHTTP にどう従うかは未検証 (UNVERIFIED) です)。接続後に Get-ConnectionInformation で確認してください。"
    ),
    m!(
        "exo.proxy.unix",
        "A proxy is configured ({proxies}). On Linux/macOS, connecting behind a proxy needs module 3.0.0 or later; set HTTPS_PROXY/HTTP_PROXY/NO_PROXY in the environment (that the module reads them is UNVERIFIED). -PSSessionOption does not work with REST connections.",
        "プロキシが構成されています({proxies})。Linux/macOS でプロキシ経由で接続するにはモジュール 3.0.0 以降が必要です。環境変数 HTTPS_PROXY/HTTP_PROXY/NO_PROXY を設定してください(モジュールがこれらを読むことは未検証 (UNVERIFIED) です)。-PSSessionOption は REST 接続では機能しません。"
    ),
    m!(
        "exo.proxy.unix_old",
        "A proxy is configured ({proxies}) and the installed module is older than 3.0.0: on Linux/macOS, connecting behind a proxy needs module 3.0.0 or later.",
        "プロキシが構成されています({proxies})が、インストールされているモジュールは 3.0.0 より古いバージョンです。Linux/macOS でプロキシ経由で接続するにはモジュール 3.0.0 以降が必要です。"
    ),
    m!(
        "exo.why.proxy",
        "-PSSessionOption only works with -UseRPSSession (remote PowerShell, retired Oct 1, 2023); REST connections have no documented proxy parameter.",
        "-PSSessionOption は -UseRPSSession(2023 年 10 月 1 日に廃止されたリモート PowerShell)でのみ機能します。REST 接続にはプロキシ用の文書化されたパラメーターがありません。"
    ),
    m!(
        "exo.winrm.basic_on",
        "WinRM client Basic authentication is enabled. REST connections do not need it (only the retired remote PowerShell did); disable it if nothing else needs it.",
        "WinRM クライアントの基本認証が有効です。REST 接続には不要です(必要だったのは廃止済みのリモート PowerShell のみ)。ほかに必要としていなければ無効にしてください。"
    ),
    m!(
        "exo.winrm.basic_off",
        "WinRM client Basic authentication is disabled: correct. REST connections do not need it; ignore old advice to enable it.",
        "WinRM クライアントの基本認証は無効です(正しい設定です)。REST 接続には不要です。有効にするよう求める古い手順は無視してください。"
    ),
    m!(
        "exo.why.winrm",
        "Remote PowerShell and the V2 module needed 'Basic = true' in winrm/config/client/auth (the Basic header only carried the OAuth token); REST connections do not use WinRM.",
        "リモート PowerShell と V2 モジュールには winrm/config/client/auth の 'Basic = true' が必要でした(Basic ヘッダーは OAuth トークンを運ぶだけでした)。REST 接続は WinRM を使用しません。"
    ),
    m!(
        "exo.execution_policy",
        "The execution policy is {policy}: the module's scripts may not load (guidance from PowerShell's documentation, not from DOMAIN.md sources).",
        "実行ポリシーが {policy} です。モジュールのスクリプトが読み込めない可能性があります(PowerShell のドキュメントに基づく案内で、DOMAIN.md の資料ではありません)。"
    ),
    m!(
        "exo.session.rps",
        "An open remote PowerShell session to {host} (Microsoft.Exchange) uses the retired connection.",
        "{host} へのリモート PowerShell セッション (Microsoft.Exchange) が開いています。廃止済みの接続方法です。"
    ),
    m!(
        "exo.script.rps",
        "{at}: New-PSSession -ConfigurationName Microsoft.Exchange / powershell-liveid is the retired remote PowerShell connection.",
        "{at}: New-PSSession -ConfigurationName Microsoft.Exchange / powershell-liveid は廃止済みのリモート PowerShell 接続です。"
    ),
    m!(
        "exo.script.use_rps",
        "{at}: -UseRPSSession connects with remote PowerShell, which is disabled; the parameter is deprecated from 3.9.2.",
        "{at}: -UseRPSSession は無効化済みのリモート PowerShell で接続します。このパラメーターは 3.9.2 から非推奨です。"
    ),
    m!(
        "exo.script.v1",
        "{at}: Connect-EXOPSSession is the V1 (click-once) module's remote PowerShell connection.",
        "{at}: Connect-EXOPSSession は V1(ClickOnce)モジュールのリモート PowerShell 接続です。"
    ),
    m!(
        "exo.script.pssessionoption",
        "{at}: New-PSSessionOption / -PSSessionOption (V2-era proxy advice) has no effect on REST connections.",
        "{at}: New-PSSessionOption / -PSSessionOption(V2 時代のプロキシ設定)は REST 接続では効果がありません。"
    ),
    m!(
        "exo.platform.unix",
        "PowerShell on {os}: WinRM, the Windows registry checks and Connect-IPPSSession do not apply (Connect-IPPSSession is not available on Linux/macOS); -CertificateThumbprint is Windows only (use -Certificate or -CertificateFilePath).",
        "{os} 上の PowerShell: WinRM、Windows レジストリの確認、Connect-IPPSSession は対象外です(Linux/macOS では Connect-IPPSSession を使用できません)。-CertificateThumbprint は Windows 専用です(-Certificate または -CertificateFilePath を使用)。"
    ),
    m!(
        "exo.connect.howto",
        "Connect with the REST module (interactive, device code, managed identity or certificate for runbooks) and verify the module and the connection.",
        "REST モジュールで接続し(対話型、デバイス コード、マネージド ID、Runbook 用の証明書)、モジュールと接続を確認してください。"
    ),
    // Live sources (fetch).
    m!(
        "fetch.unauthorized",
        "The service rejected the access token (expired or for another resource): {detail}. Get a new token and run again with --resume to continue where the run stopped.",
        "アクセス トークンが拒否されました(期限切れ、または別のリソース用のトークン): {detail}。新しいトークンを取得し、--resume を付けて再実行すると中断した位置から続行します。"
    ),
    m!(
        "fetch.forbidden",
        "Access denied: {detail}. Graph sign-ins need the AuditLog.Read.All permission (admin consent) and, for a signed-in user, a reader role such as Reports Reader or Global Reader; Log Analytics needs Data.Read and Reader on the workspace; ADX needs the database viewer role.",
        "アクセスが拒否されました: {detail}。Graph のサインイン ログには AuditLog.Read.All のアクセス許可(管理者の同意)と、サインインしたユーザーの場合はレポート閲覧者やグローバル閲覧者などの閲覧ロールが必要です。Log Analytics には Data.Read とワークスペースの閲覧者ロール、ADX にはデータベース ビューアー ロールが必要です。"
    ),
    m!(
        "fetch.no_premium",
        "The tenant has no Microsoft Entra ID P1 or P2 licence: Graph returns sign-in logs only with P1/P2, which is why a report would otherwise come back empty. Use the portal download (all editions) and read the files, or export to Log Analytics.",
        "テナントに Microsoft Entra ID P1 または P2 のライセンスがありません。Graph からサインイン ログを取得するには P1/P2 が必要です(このままではレポートが空になります)。ポータルからダウンロードしたファイル(全エディションで可能)を読み込むか、Log Analytics にエクスポートしてください。"
    ),
    m!("fetch.bad_request", "The service rejected the query: {detail}", "サービスがクエリを拒否しました: {detail}"),
    m!(
        "fetch.progress",
        "{pages} pages, {records} records, {slices} slices left, {retries} retries, {waits} throttle waits",
        "{pages} ページ、{records} レコード、残りスライス {slices}、再試行 {retries} 回、スロットル待機 {waits} 回"
    ),
    m!(
        "generate.done",
        "wrote {events} sign-ins ({users} users, {days} days, {bytes} bytes) as {format} to {path} in {seconds} s",
        "{events} 件のサインイン({users} ユーザー、{days} 日分、{bytes} バイト)を {format} 形式で {path} に書き込みました({seconds} 秒)"
    ),
    m!(
        "generate.bad_size",
        "'{size}' is not a size: expected a number of bytes with an optional unit (10MB, 1GB, 512MiB)",
        "'{size}' はサイズではありません。単位付きのバイト数を指定してください(10MB、1GB、512MiB など)"
    ),
];

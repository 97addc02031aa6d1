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
    m!(
        "read.problems_hidden",
        "... and {count} more problems (see --problems)",
        "... ほか {count} 件の問題(--problems で表示)"
    ),
    m!("cli.no_rows", "No legacy sign-ins found.", "レガシー認証のサインインは見つかりませんでした。"),
];

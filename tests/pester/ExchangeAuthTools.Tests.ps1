#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.3.0' }
# Cmdlet behaviour on real-format inputs: the staged module (build.ps1 sets
# EXCHANGEAUTHTOOLS_MODULE_PATH; default out/ExchangeAuthTools/ExchangeAuthTools.psd1).
# tests/fixtures/demo_tenant_subset.ndjson is Graph NDJSON cut from `exauth demo --write`: 40
# failures from one password-spray IP in one hour, successes on every legacy protocol, modern sign-ins.

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Shared.ps1')
    $repoRoot = Get-EatTestRepositoryRoot
    $manifestPath = Get-EatTestManifestPath
    $fixtures = Join-Path -Path (Join-Path -Path $repoRoot -ChildPath 'tests') -ChildPath 'fixtures'
    $subset = Join-Path -Path $fixtures -ChildPath 'demo_tenant_subset.ndjson'
    $badRecord = Join-Path -Path $fixtures -ChildPath 'psmodule_bad_record.ndjson'
    Import-Module -Name $manifestPath -Force -ErrorAction Stop
}

AfterAll {
    Remove-Module -Name 'ExchangeAuthTools' -ErrorAction SilentlyContinue
}

Describe 'Get-LegacyAuthSignIn' {
    It 'returns typed ExchangeAuthTools.SignIn objects, legacy only by default' {
        $records = @(Get-LegacyAuthSignIn -Path $subset)
        $records.Count | Should -BeGreaterThan 50
        $records[0].PSObject.TypeNames[0] | Should -Be 'ExchangeAuthTools.SignIn'
        $records[0].CreatedDateTime | Should -BeOfType ([datetime])
        $records[0].CreatedDateTime.Kind | Should -Be ([System.DateTimeKind]::Utc)
        $records[0].Succeeded | Should -BeOfType ([bool])
        $records[0].IsLegacy | Should -BeOfType ([bool])
        $records[0].ErrorCode | Should -BeOfType ([int])
        $records[0].SourceLine | Should -BeOfType ([long])
        @($records | Where-Object -Property IsLegacy -EQ $false) | Should -HaveCount 0
    }

    It 'adds the modern sign-ins with -IncludeModern' {
        $legacy = @(Get-LegacyAuthSignIn -Path $subset)
        $all = @(Get-LegacyAuthSignIn -Path $subset -IncludeModern)
        $all.Count | Should -BeGreaterThan $legacy.Count
        @($all | Where-Object -Property ClientAppUsed -EQ 'Browser').Count + @($all | Where-Object -Property ClientAppUsed -EQ 'Mobile Apps and Desktop clients').Count |
            Should -Be ($all.Count - $legacy.Count)
    }

    It 'takes pipeline input from Get-ChildItem and composes with Group-Object' {
        $groups = Get-ChildItem -Path $fixtures -Filter '*.ndjson' |
            Get-LegacyAuthSignIn -IncludeModern -ErrorAction SilentlyContinue |
            Group-Object -Property ClientAppUsed
        $groups.Name | Should -Contain 'Browser'
        $groups.Name | Should -Contain 'Authenticated SMTP'
        $groups.Name | Should -Contain 'IMAP4'
    }

    It 'takes pipeline input from Get-Item with -LiteralPath semantics' {
        $direct = @(Get-LegacyAuthSignIn -LiteralPath $subset)
        $piped = @(Get-Item -LiteralPath $subset | Get-LegacyAuthSignIn)
        $piped.Count | Should -Be $direct.Count
    }

    It 'expands wildcards in -Path and resolves relative paths against the PowerShell location' {
        $direct = @(Get-LegacyAuthSignIn -Path $subset)
        @(Get-LegacyAuthSignIn -Path (Join-Path -Path $fixtures -ChildPath 'demo_tenant_*.ndjson')).Count | Should -Be $direct.Count
        Push-Location -Path $fixtures
        try {
            @(Get-LegacyAuthSignIn -Path 'demo_tenant_subset.ndjson').Count | Should -Be $direct.Count
        }
        finally {
            Pop-Location
        }
    }

    It 'filters by protocol, outcome, user and time in the library' {
        $smtp = @(Get-LegacyAuthSignIn -Path $subset -Protocol 'SMTP' -Outcome 'Success')
        $smtp.Count | Should -BeGreaterThan 0
        @($smtp | Where-Object -FilterScript { $_.Protocol -ne 'SMTP' -or -not $_.Succeeded }) | Should -HaveCount 0

        $since = New-Object -TypeName 'System.DateTime' -ArgumentList @(2026, 11, 8, 0, 0, 0, [System.DateTimeKind]::Utc)
        $recent = @(Get-LegacyAuthSignIn -Path $subset -Since $since)
        $recent.Count | Should -BeGreaterThan 0
        @($recent | Where-Object -FilterScript { $_.CreatedDateTime -lt $since }) | Should -HaveCount 0
        $older = @(Get-LegacyAuthSignIn -Path $subset -Until $since)
        ($recent.Count + $older.Count) | Should -Be @(Get-LegacyAuthSignIn -Path $subset).Count

        $one = ($recent | Select-Object -First 1).UserPrincipalName
        $domain = '*@' + $one.Split('@')[1]
        @(Get-LegacyAuthSignIn -Path $subset -UserPrincipalName $one.ToUpperInvariant()) | ForEach-Object -Process { $_.UserPrincipalName | Should -Be $one }
        @(Get-LegacyAuthSignIn -Path $subset -UserPrincipalName $domain).Count | Should -BeGreaterThan 1
    }

    It 'has properties that sort, measure and export naturally' {
        $records = @(Get-LegacyAuthSignIn -Path $subset)
        $sorted = @($records | Sort-Object -Property CreatedDateTime)
        $sorted[0].CreatedDateTime | Should -BeLessOrEqual $sorted[-1].CreatedDateTime
        ($records | Measure-Object -Property ErrorCode -Maximum).Maximum | Should -BeGreaterThan 0
        $csv = Join-Path -Path $TestDrive -ChildPath 'signins.csv'
        $records | Export-Csv -LiteralPath $csv -NoTypeInformation -Encoding UTF8
        @(Import-Csv -LiteralPath $csv).Count | Should -Be $records.Count
    }

    It 'writes an unreadable record as a non-terminating error with the file as target, and reads the rest' {
        $problems = $null
        $records = @(Get-LegacyAuthSignIn -Path $badRecord -ErrorAction SilentlyContinue -ErrorVariable problems)
        $records.Count | Should -BeGreaterThan 1
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ExchangeAuthTools.bad_json*'
        $problems[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidData)
        $problems[0].TargetObject | Should -BeLike '*psmodule_bad_record.ndjson'
        $problems[0].Exception.Message | Should -BeLike '*psmodule_bad_record.ndjson:3*'
    }

    It 'honours -ErrorAction Stop for a per-record problem' {
        { Get-LegacyAuthSignIn -Path $badRecord -ErrorAction Stop } | Should -Throw -ErrorId 'ExchangeAuthTools.bad_json'
    }

    It 'reports a missing path as ObjectNotFound and still reads the others' {
        $missing = Join-Path -Path $TestDrive -ChildPath 'no-such-file.json'
        $errors = $null
        $records = @(Get-LegacyAuthSignIn -LiteralPath @($missing, $subset) -ErrorAction SilentlyContinue -ErrorVariable errors)
        $records.Count | Should -BeGreaterThan 0
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ExchangeAuthTools.PathNotFound*'
        $errors[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
        $errors[0].TargetObject | Should -Be $missing
    }

    It 'refuses an unknown protocol with a terminating InvalidArgument error' {
        $thrown = $null
        try {
            Get-LegacyAuthSignIn -Path $subset -Protocol 'NoSuchProtocol' -ErrorAction Stop
        }
        catch {
            $thrown = $_
        }
        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -BeLike 'ExchangeAuthTools.invalid_request*'
        $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        $thrown.Exception.InnerException.GetType().FullName | Should -Be 'ExchangeAuthTools.Native.V1.EatException'
    }

    It 'refuses -Since later than -Until' {
        { Get-LegacyAuthSignIn -Path $subset -Since '2026-11-09' -Until '2026-11-01' } | Should -Throw -ErrorId 'ExchangeAuthTools.TimeRangeEmpty'
    }

    It 'stops early under Select-Object -First and the next run reads everything again' {
        @(Get-LegacyAuthSignIn -Path $subset -BatchSize 1 | Select-Object -First 3) | Should -HaveCount 3
        @(Get-LegacyAuthSignIn -Path $subset).Count | Should -BeGreaterThan 50
    }

    It 'cancels the native job promptly when the pipeline is stopped (Ctrl+C)' {
        $large = Join-Path -Path $TestDrive -ChildPath 'large.ndjson'
        $lines = [System.IO.File]::ReadAllLines($subset)
        $writer = New-Object -TypeName 'System.IO.StreamWriter' -ArgumentList @($large, $false)
        try {
            for ($i = 0; $i -lt 300; $i++) {
                foreach ($line in $lines) {
                    $writer.WriteLine($line)
                }
            }
        }
        finally {
            $writer.Dispose()
        }
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript('param($m, $p) Import-Module -Name $m; Get-LegacyAuthSignIn -Path $p -BatchSize 16 | ForEach-Object -Process { Start-Sleep -Milliseconds 5; $_ }').AddArgument($manifestPath).AddArgument($large)
            $handle = $shell.BeginInvoke()
            Start-Sleep -Seconds 2
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            $handle.IsCompleted | Should -BeTrue
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            $shell.Dispose()
        }
    }
}

Describe 'Measure-LegacyAuthUsage' {
    It 'returns typed ExchangeAuthTools.UsageSummary rows that add up to the sign-ins' {
        $rows = @(Measure-LegacyAuthUsage -Path $subset)
        $rows.Count | Should -BeGreaterThan 5
        $rows[0].PSObject.TypeNames[0] | Should -Be 'ExchangeAuthTools.UsageSummary'
        $rows[0].GroupBy | Should -Be 'UserProtocol'
        $rows[0].Total | Should -BeOfType ([long])
        $rows[0].LastSeen | Should -BeOfType ([datetime])
        $rows[0].IsAttack | Should -BeOfType ([bool])
        ($rows | Measure-Object -Property Total -Sum).Sum | Should -Be @(Get-LegacyAuthSignIn -Path $subset).Count
    }

    It 'groups -By Protocol, IP, Country and Day' {
        $protocols = @(Measure-LegacyAuthUsage -Path $subset -By Protocol)
        $protocols.Protocol | Should -Contain 'SMTP'
        $protocols.Protocol | Should -Contain 'IMAP'
        $imap = $protocols | Where-Object -Property Protocol -EQ 'IMAP'
        $imap.Total | Should -Be @(Get-LegacyAuthSignIn -Path $subset -Protocol IMAP).Count
        @(Measure-LegacyAuthUsage -Path $subset -By IP).IPAddress | Should -Contain '185.220.101.17'
        @(Measure-LegacyAuthUsage -Path $subset -By Country) | ForEach-Object -Process { $_.CountryOrRegion | Should -Not -BeNullOrEmpty }
        $days = @(Measure-LegacyAuthUsage -Path $subset -By Day)
        $days[0].Day | Should -BeOfType ([datetime])
        $days[0].Day | Should -BeLessOrEqual $days[-1].Day
    }

    It 'flags the password spray: attack rows and the spray source IP' {
        $users = @(Measure-LegacyAuthUsage -Path $subset -By User)
        $attacks = @($users | Where-Object -Property IsAttack)
        $attacks.Count | Should -BeGreaterThan 9
        $attacks.Assessment | Should -Contain 'PasswordSpray'
        @($users | Where-Object -Property Assessment -EQ 'Migrate').Count | Should -BeGreaterThan 0
        $spray = @(Measure-LegacyAuthUsage -Path $subset -SprayIp)
        $spray | Should -HaveCount 1
        $spray[0].PSObject.TypeNames[0] | Should -Be 'ExchangeAuthTools.SprayIp'
        $spray[0].IPAddress | Should -Be '185.220.101.17'
        $spray[0].TargetedUserCount | Should -BeGreaterOrEqual 10
    }

    It 'takes pipeline input and writes problems as non-terminating errors' {
        $problems = $null
        $rows = @(Get-ChildItem -LiteralPath $badRecord | Measure-LegacyAuthUsage -By User -ErrorAction SilentlyContinue -ErrorVariable problems)
        $rows.Count | Should -BeGreaterThan 0
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ExchangeAuthTools.bad_json*'
    }
}

Describe 'Get-LegacyAuthClientApp' {
    It 'lists the catalogue as typed ExchangeAuthTools.ClientApp objects' {
        $apps = @(Get-LegacyAuthClientApp)
        $apps[0].PSObject.TypeNames[0] | Should -Be 'ExchangeAuthTools.ClientApp'
        ($apps | Where-Object -Property ClientAppUsed -EQ 'Browser').IsLegacy | Should -BeFalse
        $smtp = $apps | Where-Object -Property ClientAppUsed -EQ 'Authenticated SMTP'
        $smtp.MailboxSwitch | Should -Be 'SmtpClientAuthenticationDisabled'
        @($smtp.Retirement).Count | Should -BeGreaterThan 0
        @($smtp.Retirement)[0].date | Should -Not -BeNullOrEmpty
    }

    It 'filters with -LegacyOnly and -Name' {
        @(Get-LegacyAuthClientApp -LegacyOnly | Where-Object -Property IsLegacy -EQ $false) | Should -HaveCount 0
        @(Get-LegacyAuthClientApp -Name '*SMTP*').ClientAppUsed | Should -Contain 'Authenticated SMTP'
        @(Get-LegacyAuthClientApp -Name 'IMAP').ClientAppUsed | Should -Be @('IMAP4')
    }

    It 'gives the advice in Japanese with -Culture ja-JP' {
        $smtp = Get-LegacyAuthClientApp -Name 'SMTP' -Culture 'ja-JP'
        $smtp.MigrateTo | Should -Match '[\u3040-\u30ff]'
        (Get-LegacyAuthClientApp -Name 'SMTP' -Culture 'en-US').MigrateTo | Should -Match 'OAuth'
    }
}

Describe 'The module' {
    It 'can be removed and imported again in the same session (the C# type is added once)' {
        Remove-Module -Name 'ExchangeAuthTools'
        Import-Module -Name $manifestPath -ErrorAction Stop
        @(Get-LegacyAuthClientApp).Count | Should -BeGreaterThan 10
        Import-Module -Name $manifestPath -Force -ErrorAction Stop
        @(Get-LegacyAuthSignIn -Path $subset).Count | Should -BeGreaterThan 50
    }

    It 'exports only the public functions' {
        $exported = (Get-Module -Name 'ExchangeAuthTools').ExportedCommands.Keys | Sort-Object
        $exported | Should -Be @('Get-LegacyAuthClientApp', 'Get-LegacyAuthSignIn', 'Measure-LegacyAuthUsage')
    }

    It 'uses the ja-JP strings under a Japanese UI culture and en-US under the invariant culture' {
        $previous = [System.Threading.Thread]::CurrentThread.CurrentUICulture
        try {
            [System.Threading.Thread]::CurrentThread.CurrentUICulture = New-Object -TypeName 'System.Globalization.CultureInfo' -ArgumentList 'ja-JP'
            Import-Module -Name $manifestPath -Force -ErrorAction Stop
            $errors = $null
            Get-LegacyAuthSignIn -LiteralPath (Join-Path -Path $TestDrive -ChildPath 'missing.json') -ErrorAction SilentlyContinue -ErrorVariable errors
            $errors[0].Exception.Message | Should -Match '[\u3040-\u30ff]'

            [System.Threading.Thread]::CurrentThread.CurrentUICulture = [System.Globalization.CultureInfo]::InvariantCulture
            Import-Module -Name $manifestPath -Force -ErrorAction Stop
            $errors = $null
            Get-LegacyAuthSignIn -LiteralPath (Join-Path -Path $TestDrive -ChildPath 'missing.json') -ErrorAction SilentlyContinue -ErrorVariable errors
            $errors[0].Exception.Message | Should -BeLike 'Cannot find path*'
        }
        finally {
            [System.Threading.Thread]::CurrentThread.CurrentUICulture = $previous
            Import-Module -Name $manifestPath -Force -ErrorAction Stop
        }
    }

    It 'names the platform and the paths it looked at when the native library is missing' {
        $copy = Join-Path -Path $TestDrive -ChildPath 'ExchangeAuthTools'
        $moduleFolder = Split-Path -Path $manifestPath -Parent
        $null = New-Item -ItemType Directory -Path $copy
        Copy-Item -LiteralPath $manifestPath -Destination $copy
        Copy-Item -LiteralPath (Join-Path -Path $moduleFolder -ChildPath 'powershell') -Destination $copy -Recurse
        $saved = $env:EXCHANGEAUTHTOOLS_NATIVE_LIBRARY
        $env:EXCHANGEAUTHTOOLS_NATIVE_LIBRARY = $null
        try {
            $thrown = $null
            try {
                Import-Module -Name (Join-Path -Path $copy -ChildPath 'ExchangeAuthTools.psd1') -Force -ErrorAction Stop
            }
            catch {
                $thrown = $_
            }
            $thrown | Should -Not -BeNullOrEmpty
            $thrown.Exception.Message | Should -BeLike ('*' + (Join-Path -Path $copy -ChildPath 'bin') + '*')
            $thrown.Exception.Message | Should -Match '(win|linux|osx)-(x64|arm64)'
        }
        finally {
            $env:EXCHANGEAUTHTOOLS_NATIVE_LIBRARY = $saved
            Import-Module -Name $manifestPath -Force -ErrorAction Stop
        }
    }
}

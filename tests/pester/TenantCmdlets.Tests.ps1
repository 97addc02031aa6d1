#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.3.0' }
# Get-LegacyProtocolExposure, Test-LegacyAuthBlock and Export-LegacyAuthReport on real-format
# Exchange Online / Graph exports (tests/fixtures/pscmdlets_*.json, cut from the demo tenant's
# inputs that `exauth report --demo --demo-inputs DIR` writes) and the sign-ins of
# demo_tenant_subset.ndjson. The expected counts are what the `exposure` and `guardrails` ops answer
# for the same files through `exauth request` (see README "PowerShell module").

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Shared.ps1')
    $repoRoot = Get-EatTestRepositoryRoot
    $fixtures = Join-Path -Path (Join-Path -Path $repoRoot -ChildPath 'tests') -ChildPath 'fixtures'
    $subset = Join-Path -Path $fixtures -ChildPath 'demo_tenant_subset.ndjson'
    $mailboxPath = Join-Path -Path $fixtures -ChildPath 'pscmdlets_cas_mailboxes.json'
    $policyPath = Join-Path -Path $fixtures -ChildPath 'pscmdlets_ca_policies.json'
    $transportPath = Join-Path -Path $fixtures -ChildPath 'pscmdlets_transport_config.json'
    $orgPath = Join-Path -Path $fixtures -ChildPath 'pscmdlets_org_config.json'
    $authPolicyPath = Join-Path -Path $fixtures -ChildPath 'pscmdlets_auth_policies.json'
    Import-Module -Name (Get-EatTestManifestPath) -Force -ErrorAction Stop

    function Read-EatTestJson {
        param([string] $Path)
        ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($Path))
    }

    # What the Graph SDK's Get-MgIdentityConditionalAccessPolicy returns: PascalCase properties.
    function ConvertTo-EatTestPascalCase {
        param([object] $Value)
        if ($null -eq $Value -or $Value -is [string] -or $Value -is [bool] -or $Value -is [ValueType]) {
            return $Value
        }
        if ($Value -is [System.Collections.IEnumerable]) {
            $items = @(foreach ($item in $Value) {
                    ConvertTo-EatTestPascalCase -Value $item
                })
            return , $items
        }
        $properties = [ordered]@{}
        foreach ($property in $Value.PSObject.Properties) {
            $name = $property.Name.Substring(0, 1).ToUpperInvariant() + $property.Name.Substring(1)
            $properties[$name] = ConvertTo-EatTestPascalCase -Value $property.Value
        }
        [pscustomobject]$properties
    }

    $mailboxes = @(Read-EatTestJson -Path $mailboxPath)
    $transport = Read-EatTestJson -Path $transportPath
    $org = Read-EatTestJson -Path $orgPath
    $policies = @((Read-EatTestJson -Path $policyPath).value)
}

AfterAll {
    Remove-Module -Name 'ExchangeAuthTools' -ErrorAction SilentlyContinue
}

Describe 'Get-LegacyProtocolExposure' {
    BeforeAll {
        $exposure = @($mailboxes | Get-LegacyProtocolExposure -UsagePath $subset -TransportConfig $transport -OrganizationConfig $org -WarningAction SilentlyContinue)
    }

    It 'returns one typed ExchangeAuthTools.MailboxExposure per piped mailbox' {
        $exposure.Count | Should -Be 73
        $exposure[0].PSObject.TypeNames[0] | Should -Be 'ExchangeAuthTools.MailboxExposure'
        $exposure[0].Protocols[0].PSObject.TypeNames[0] | Should -Be 'ExchangeAuthTools.ProtocolExposure'
        $exposure[0].Protocols[0].Identity | Should -Be $exposure[0].Identity
        @($exposure | Where-Object -Property Recommendation -EQ 'Investigate').Count | Should -Be 35
        @($exposure | Where-Object -Property Recommendation -EQ 'MigrateFirst').Count | Should -Be 25
        @($exposure | Where-Object -Property Recommendation -EQ 'Disable').Count | Should -Be 13
    }

    It 'lists open and used protocols and reviewable -WhatIf commands' {
        $migrate = $exposure | Where-Object -Property Recommendation -EQ 'MigrateFirst' | Select-Object -First 1
        $migrate.UsedProtocols.Count | Should -BeGreaterThan 0
        $migrate.OpenProtocols | Should -Contain $migrate.UsedProtocols[0]
        $commands = @($exposure.Commands)
        $commands.Count | Should -BeGreaterThan 0
        $commands[0].PSObject.TypeNames[0] | Should -Be 'ExchangeAuthTools.RemediationCommand'
        foreach ($command in $commands) {
            $command.Command | Should -Match ' -WhatIf$'
            $command.Phase | Should -BeIn @('Now', 'AfterMigration')
        }
    }

    It 'keeps $null settings: the organisation SMTP AUTH setting applies to a mailbox without its own' {
        $akiko = $exposure | Where-Object -Property Identity -EQ 'akiko.chen10@contoso.co.jp'
        $smtp = $akiko.Protocols | Where-Object -Property Setting -EQ 'SmtpClientAuthenticationDisabled'
        $smtp.EnabledSource | Should -Be 'Organization'
        $smtp.Enabled | Should -BeTrue
        $own = [pscustomobject]@{ PrimarySmtpAddress = 'own@contoso.co.jp'; SmtpClientAuthenticationDisabled = $true; PopEnabled = $false; ImapEnabled = $false }
        $result = $own | Get-LegacyProtocolExposure -Usage @() -TransportConfig $transport -WarningAction SilentlyContinue
        $ownSmtp = $result.Protocols | Where-Object -Property Setting -EQ 'SmtpClientAuthenticationDisabled'
        $ownSmtp.EnabledSource | Should -Be 'Mailbox'
        $ownSmtp.Enabled | Should -BeFalse
    }

    It 'gives the same answer for -MailboxPath, for hashtables and for Measure-LegacyAuthUsage objects' {
        $expected = @($exposure | ForEach-Object -Process { '{0}={1}' -f $_.Identity, $_.Recommendation })
        $fromFile = @(Get-LegacyProtocolExposure -MailboxPath $mailboxPath -UsagePath $subset -TransportConfig $transportPath -OrganizationConfig $orgPath -WarningAction SilentlyContinue)
        @($fromFile | ForEach-Object -Process { '{0}={1}' -f $_.Identity, $_.Recommendation }) | Should -Be $expected
        $tables = @(foreach ($mailbox in $mailboxes) {
                $table = @{}
                foreach ($property in $mailbox.PSObject.Properties) {
                    $table[$property.Name] = $property.Value
                }
                $table
            })
        $usage = @(Measure-LegacyAuthUsage -Path $subset)
        $fromObjects = @($tables | Get-LegacyProtocolExposure -Usage $usage -TransportConfig $transport -OrganizationConfig $org -WarningAction SilentlyContinue)
        @($fromObjects | ForEach-Object -Process { '{0}={1}' -f $_.Identity, $_.Recommendation }) | Should -Be $expected
    }

    It 'writes the organisation-wide findings as warnings' {
        $null = $mailboxes | Get-LegacyProtocolExposure -UsagePath $subset -TransportConfig $transport -WarningVariable warnings -WarningAction SilentlyContinue
        ($warnings -join "`n") | Should -Match 'Set-TransportConfig -SmtpClientAuthenticationDisabled \$true -WhatIf'
    }

    It 'writes the reviewable script with -AsScript and honours -WhatIf' {
        $scriptPath = Join-Path -Path $TestDrive -ChildPath 'remediation.ps1'
        $null = $mailboxes | Get-LegacyProtocolExposure -UsagePath $subset -TransportConfig $transport -AsScript $scriptPath -WhatIf -WarningAction SilentlyContinue
        Test-Path -LiteralPath $scriptPath | Should -BeFalse
        $file = $mailboxes | Get-LegacyProtocolExposure -UsagePath $subset -TransportConfig $transport -AsScript $scriptPath -WarningAction SilentlyContinue
        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.FullName | Should -Be $scriptPath
        $bytes = [System.IO.File]::ReadAllBytes($scriptPath)
        $bytes[0..2] | Should -Be @(0xEF, 0xBB, 0xBF)
        $text = [System.IO.File]::ReadAllText($scriptPath)
        $text | Should -Match 'Set-CASMailbox -Identity '
        $text | Should -Match 'Set-TransportConfig -SmtpClientAuthenticationDisabled \$true -WhatIf'
        $errors = $null
        $null = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$null, [ref]$errors)
        $errors | Should -HaveCount 0
    }

    It 'asks for usage and for mailboxes with clear errors' {
        { $mailboxes | Get-LegacyProtocolExposure -ErrorAction Stop } | Should -Throw -ErrorId 'ExchangeAuthTools.NoUsage,Get-LegacyProtocolExposure'
        { @() | Get-LegacyProtocolExposure -Usage @() -ErrorAction Stop } | Should -Throw -ErrorId 'ExchangeAuthTools.NoMailbox,Get-LegacyProtocolExposure'
        { Get-LegacyProtocolExposure -MailboxPath (Join-Path -Path $TestDrive -ChildPath 'missing.csv') -Usage @() -ErrorAction Stop } | Should -Throw -ErrorId 'ExchangeAuthTools.PathNotFound,Get-LegacyProtocolExposure'
    }

    It 'warns about a setting it cannot read, naming the object and property, and still evaluates the rest' {
        $bad = [pscustomobject]@{ PrimarySmtpAddress = 'bad@contoso.co.jp'; PopEnabled = 'maybe' }
        $good = [pscustomobject]@{ PrimarySmtpAddress = 'good@contoso.co.jp'; PopEnabled = $true }
        $result = @($bad, $good | Get-LegacyProtocolExposure -Usage @() -WarningVariable warnings -WarningAction SilentlyContinue)
        $result.Count | Should -Be 2
        ($warnings -join "`n") | Should -Match "object 1: PopEnabled is 'maybe'"
        (($result | Where-Object -Property Identity -EQ 'bad@contoso.co.jp').Protocols | Where-Object -Property Setting -EQ 'PopEnabled').EnabledSource | Should -Be 'Unknown'
    }
}

Describe 'Test-LegacyAuthBlock' {
    BeforeAll {
        $findings = @(Test-LegacyAuthBlock -PolicyPath $policyPath -UsagePath $subset -SecurityDefaults $false)
    }

    It 'returns typed ExchangeAuthTools.Finding objects for a saved Graph export' {
        $findings[0].PSObject.TypeNames[0] | Should -Be 'ExchangeAuthTools.Finding'
        $findings[0].Verified | Should -BeOfType ([bool])
        $findings.Id | Should -Contain 'guardrails.report_only'
        $findings.Id | Should -Contain 'guardrails.partial_buckets'
        @($findings | Where-Object -Property Id -EQ 'guardrails.excluded_user_legacy').Count | Should -Be 3
    }

    It 'reads piped policies, and Graph SDK (PascalCase) objects, as the export' {
        $expected = @($findings | ForEach-Object -Process { '{0}|{1}' -f $_.Id, $_.Target })
        $piped = @($policies | Test-LegacyAuthBlock -UsagePath $subset -SecurityDefaults $false)
        @($piped | ForEach-Object -Process { '{0}|{1}' -f $_.Id, $_.Target }) | Should -Be $expected
        $sdk = @($policies | ForEach-Object -Process { ConvertTo-EatTestPascalCase -Value $_ })
        $sdk[0].Conditions.Users.ExcludeUsers.Count | Should -BeGreaterThan 0
        $fromSdk = @($sdk | Test-LegacyAuthBlock -UsagePath $subset -SecurityDefaults ([pscustomobject]@{ IsEnabled = $false }))
        @($fromSdk | ForEach-Object -Process { '{0}|{1}' -f $_.Id, $_.Target }) | Should -Be $expected
    }

    It 'treats an empty pipeline as a tenant without policies' {
        (@() | Test-LegacyAuthBlock -SecurityDefaults $false).Id | Should -Be 'guardrails.no_block'
        (@() | Test-LegacyAuthBlock -SecurityDefaults $true).Id | Should -Be 'guardrails.security_defaults'
    }

    It 'writes the verdict with -Verbose' {
        $verbose = Test-LegacyAuthBlock -PolicyPath $policyPath -Verbose 4>&1 | Where-Object -FilterScript { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match 'Partial'
    }
}

Describe 'Export-LegacyAuthReport' {
    It 'writes a self-contained HTML page and returns its FileInfo' {
        $out = Join-Path -Path $TestDrive -ChildPath 'report.html'
        $file = Export-LegacyAuthReport -Path $subset -OutFile $out -Culture 'en-US'
        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.FullName | Should -Be $out
        $html = [System.IO.File]::ReadAllText($out)
        $html | Should -Match '^<!DOCTYPE html>'
        $html | Should -Match '<html lang="en"'
        $html | Should -Not -Match '<script src=|<link rel="stylesheet" href='
    }

    It 'chooses CSV (UTF-8 with BOM) and JSON by extension, or by -Format' {
        $csv = Export-LegacyAuthReport -Path $subset -OutFile (Join-Path -Path $TestDrive -ChildPath 'report.csv')
        [System.IO.File]::ReadAllBytes($csv.FullName)[0..2] | Should -Be @(0xEF, 0xBB, 0xBF)
        $json = Export-LegacyAuthReport -Path $subset -OutFile (Join-Path -Path $TestDrive -ChildPath 'report.json')
        (Get-Content -LiteralPath $json.FullName -Raw | ConvertFrom-Json).stats.records | Should -BeGreaterThan 50
        $txt = Export-LegacyAuthReport -Path $subset -OutFile (Join-Path -Path $TestDrive -ChildPath 'report.txt') -Format Html
        [System.IO.File]::ReadAllText($txt.FullName) | Should -Match '^<!DOCTYPE html>'
        { Export-LegacyAuthReport -Path $subset -OutFile (Join-Path -Path $TestDrive -ChildPath 'report.txt') -ErrorAction Stop } |
            Should -Throw -ErrorId 'ExchangeAuthTools.ReportFormatUnknown,Export-LegacyAuthReport'
    }

    It 'takes Measure-LegacyAuthUsage objects from the pipeline and writes Japanese with -Culture ja-JP' {
        $out = Join-Path -Path $TestDrive -ChildPath 'report-ja.html'
        $null = Measure-LegacyAuthUsage -Path $subset | Export-LegacyAuthReport -OutFile $out -Culture 'ja-JP'
        $html = [System.IO.File]::ReadAllText($out)
        $html | Should -Match '<html lang="ja"'
        $html | Should -Match 'レガシー'
    }

    It 'includes exposure, Conditional Access and readiness findings' {
        $readiness = [pscustomobject]@{ Severity = 'High'; Id = 'exo.module_old'; Target = 'ExchangeOnlineManagement'; Message = 'old module' }
        $out = Join-Path -Path $TestDrive -ChildPath 'full.json'
        $null = Export-LegacyAuthReport -Path $subset -OutFile $out -Mailbox $mailboxes -TransportConfig $transport -PolicyPath $policyPath -SecurityDefaults $false -Finding $readiness
        $data = Get-Content -LiteralPath $out -Raw | ConvertFrom-Json
        $data.readiness[0].id | Should -Be 'exo.module_old'
        $data.exposure | Should -Not -BeNullOrEmpty
        $data.guardrails | Should -Not -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf' {
        $out = Join-Path -Path $TestDrive -ChildPath 'whatif.html'
        Export-LegacyAuthReport -Path $subset -OutFile $out -WhatIf
        Test-Path -LiteralPath $out | Should -BeFalse
    }
}

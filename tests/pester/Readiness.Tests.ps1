#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.3.0' }
# Test-OutlookModernAuth, Enable-OutlookModernAuth and Test-ExoPowerShellReadiness. The .reg
# fixtures are Microsoft's documented Office 2013 enable/disable files (copied unchanged from
# shared/samples); tests/fixtures/exo/*.json are readiness facts for each situation the rules know.
# The expected finding ids are what the registry.check / exo.readiness ops answer for the same
# files (`exauth request`). Live parts run where they apply: the registry on Windows only, fact
# gathering everywhere (it must not fail on Linux or macOS).

BeforeDiscovery {
    $onWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    $readinessCases = @(
        @{ File = 'lookalike-module.json'; Id = 'exo.module.lookalike'; Severity = 'Critical' }
        @{ File = 'no-module.json'; Id = 'exo.module.missing'; Severity = 'High' }
        @{ File = 'ps51-old-v2-module.json'; Id = 'exo.module.v2'; Severity = 'High' }
        @{ File = 'tls12-missing.json'; Id = 'exo.tls12.missing'; Severity = 'High' }
        @{ File = 'rps-session-and-scripts.json'; Id = 'exo.session.rps'; Severity = 'High' }
        @{ File = 'right-name-wrong-guid.json'; Id = 'exo.module.wrong_publisher'; Severity = 'Critical' }
    )
}

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Shared.ps1')
    $fixtures = Join-Path -Path (Join-Path -Path (Get-EatTestRepositoryRoot) -ChildPath 'tests') -ChildPath 'fixtures'
    $disableReg = Join-Path -Path $fixtures -ChildPath 'msdocs_Office2013_Disable_ModernAuth.reg'
    $enableReg = Join-Path -Path $fixtures -ChildPath 'msdocs_Office2013_Enable_ModernAuth.reg'
    $exoFixtures = Join-Path -Path $fixtures -ChildPath 'exo'
    Import-Module -Name (Get-EatTestManifestPath) -Force -ErrorAction Stop
}

AfterAll {
    Remove-Module -Name 'ExchangeAuthTools' -ErrorAction SilentlyContinue
}

Describe 'Test-OutlookModernAuth' {
    It 'finds what an exported registry lacks, as typed findings with the fix' {
        $findings = @(Test-OutlookModernAuth -Path $disableReg)
        $findings[0].PSObject.TypeNames[0] | Should -Be 'ExchangeAuthTools.Finding'
        $adal = $findings | Where-Object -Property Id -EQ 'outlook.2013.enable_adal'
        $adal.Severity | Should -Be 'High'
        $adal.Current | Should -Be 'REG_DWORD 0'
        $adal.Expected | Should -Be 'REG_DWORD 1'
        $adal.Fix | Should -Match "New-ItemProperty -Path 'HKCU:\\Software\\Microsoft\\Office\\15.0\\Common\\Identity' -Name 'EnableADAL'"
        $adal.Context.officeVersion | Should -Be '15.0'
    }

    It 'reads a fleet from Get-ChildItem and filters by -MinimumSeverity' {
        $all = @(Get-ChildItem -Path $fixtures -Filter 'msdocs_Office2013_*.reg' | Test-OutlookModernAuth)
        $all.Id | Should -Contain 'outlook.15.ok'
        $all.Id | Should -Contain 'outlook.2013.enable_adal'
        $high = @(Get-ChildItem -Path $fixtures -Filter 'msdocs_Office2013_*.reg' | Test-OutlookModernAuth -MinimumSeverity High)
        @($high | Where-Object -FilterScript { @('Critical', 'High') -notcontains $_.Severity }) | Should -HaveCount 0
        $high.Count | Should -BeLessThan $all.Count
    }

    It 'reports a missing file as a non-terminating error and reads the rest' {
        $missing = Join-Path -Path $TestDrive -ChildPath 'missing.reg'
        $findings = @(Test-OutlookModernAuth -Path @($missing, $enableReg) -ErrorAction SilentlyContinue -ErrorVariable errors)
        $findings.Id | Should -Contain 'outlook.15.ok'
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ExchangeAuthTools.PathNotFound*'
    }

    It 'says the live registry needs Windows' -Skip:$onWindows {
        { Test-OutlookModernAuth -ErrorAction Stop } | Should -Throw -ErrorId 'ExchangeAuthTools.invalid_input'
    }

    It 'reads the live registry of this user on Windows' -Skip:(-not $onWindows) {
        { Test-OutlookModernAuth -ErrorAction Stop } | Should -Not -Throw
    }
}

Describe 'Enable-OutlookModernAuth' {
    It 'writes the fix as a .reg file on any OS' {
        $out = Join-Path -Path $TestDrive -ChildPath 'fix.reg'
        $file = Enable-OutlookModernAuth -OfficeVersion 16.0 -AsRegFile $out
        $file | Should -BeOfType ([System.IO.FileInfo])
        $text = [System.IO.File]::ReadAllText($out)
        $text | Should -Match 'Windows Registry Editor Version 5.00'
        $text | Should -Match '"AlwaysUseMSOAuthForAutoDiscover"=dword:00000001'
    }

    It 'writes the revert file from the current settings' {
        $out = Join-Path -Path $TestDrive -ChildPath 'fix13.reg'
        $revert = Join-Path -Path $TestDrive -ChildPath 'undo13.reg'
        $files = @(Enable-OutlookModernAuth -OfficeVersion 15.0 -AsRegFile $out -RevertFile $revert -RevertFrom $disableReg)
        $files.FullName | Should -Be @($out, $revert)
        [System.IO.File]::ReadAllText($out) | Should -Match '"EnableADAL"=dword:00000001'
        [System.IO.File]::ReadAllText($revert) | Should -Match '"EnableADAL"=dword:00000000'
    }

    It 'writes nothing with -WhatIf' {
        $out = Join-Path -Path $TestDrive -ChildPath 'whatif.reg'
        Enable-OutlookModernAuth -OfficeVersion 16.0 -AsRegFile $out -WhatIf
        Test-Path -LiteralPath $out | Should -BeFalse
    }

    It 'refuses to change the registry off Windows, pointing to -AsRegFile' -Skip:$onWindows {
        { Enable-OutlookModernAuth -OfficeVersion 16.0 -ErrorAction Stop } | Should -Throw -ErrorId 'ExchangeAuthTools.RegistryWindowsOnly,Enable-OutlookModernAuth'
    }

    It 'applies the values under HKCU, reports before and after, and is idempotent' -Skip:(-not $onWindows) {
        $preview = @(Enable-OutlookModernAuth -OfficeVersion 16.0 -WhatIf)
        $preview[0].PSObject.TypeNames[0] | Should -Be 'ExchangeAuthTools.RegistryChange'
        foreach ($change in $preview) {
            $change.After | Should -Be $change.Before
        }
        try {
            $first = @(Enable-OutlookModernAuth -OfficeVersion 16.0 -Confirm:$false)
            foreach ($change in ($first | Where-Object -Property Action -EQ 'set')) {
                $change.After | Should -Be $change.Value
                $change.Status | Should -BeIn @('Changed', 'Unchanged')
            }
            $second = @(Enable-OutlookModernAuth -OfficeVersion 16.0 -Confirm:$false)
            @($second | Where-Object -Property Status -NE 'Unchanged') | Should -HaveCount 0
        }
        finally {
            # Put back what was there before the test.
            foreach ($change in $preview) {
                if ($null -eq $change.Before) {
                    Remove-ItemProperty -LiteralPath $change.Key -Name $change.Name -ErrorAction SilentlyContinue
                }
                else {
                    Set-ItemProperty -LiteralPath $change.Key -Name $change.Name -Value $change.Before
                }
            }
        }
    }
}

Describe 'Test-ExoPowerShellReadiness' {
    It 'judges saved facts: <File> gives <Id> (<Severity>)' -ForEach $readinessCases {
        $findings = @(Test-ExoPowerShellReadiness -FactsPath (Join-Path -Path $exoFixtures -ChildPath $File))
        $findings[0].PSObject.TypeNames[0] | Should -Be 'ExchangeAuthTools.Finding'
        $match = @($findings | Where-Object -Property Id -EQ $Id)
        $match.Count | Should -BeGreaterThan 0
        $match[0].Severity | Should -Be $Severity
    }

    It 'leaves out findings below -MinimumSeverity' {
        $all = @(Test-ExoPowerShellReadiness -FactsPath (Join-Path -Path $exoFixtures -ChildPath 'no-module.json'))
        $high = @(Test-ExoPowerShellReadiness -FactsPath (Join-Path -Path $exoFixtures -ChildPath 'no-module.json') -MinimumSeverity High)
        $all.Id | Should -Contain 'exo.connect.howto'
        $high.Id | Should -Not -Contain 'exo.connect.howto'
        $high.Id | Should -Contain 'exo.module.missing'
    }

    It 'gathers the facts of this shell without failing on any OS' {
        $facts = Test-ExoPowerShellReadiness -AsFacts -ErrorAction Stop
        $facts.schemaVersion | Should -Be 1
        $facts.powerShell.version | Should -Be ([string]$PSVersionTable.PSVersion)
        $facts.tls.securityProtocol | Should -Not -BeNullOrEmpty
        $facts.executionPolicy.effective | Should -Not -BeNullOrEmpty
        , $facts.modules.installed | Should -BeOfType ([object[]])
    }

    It 'judges this shell and finds retired Remote PowerShell in a named script' {
        $runbook = Join-Path -Path $TestDrive -ChildPath 'runbook.ps1'
        Set-Content -LiteralPath $runbook -Value 'Connect-ExchangeOnline -UseRPSSession' -Encoding UTF8
        $findings = @(Test-ExoPowerShellReadiness -ScriptPath $runbook -UserPrincipalName 'admin@contoso.onmicrosoft.com' -ErrorAction Stop)
        $findings.Id | Should -Contain 'exo.script.use_rps'
        ($findings | Where-Object -Property Id -EQ 'exo.connect.howto').Fix | Should -Match 'admin@contoso.onmicrosoft.com'
    }

    It 'round-trips facts saved as JSON' {
        $path = Join-Path -Path $TestDrive -ChildPath 'facts.json'
        Test-ExoPowerShellReadiness -AsFacts | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath $path -Encoding UTF8
        $fromFile = @(Test-ExoPowerShellReadiness -FactsPath $path)
        $live = @(Test-ExoPowerShellReadiness)
        @($fromFile.Id) | Should -Be @($live.Id)
    }
}

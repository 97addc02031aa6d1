#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.3.0' }
# The live sources: Get-LegacyAuthSignIn -FromGraph against a local Graph stand-in (an
# HttpListener on 127.0.0.1 serving a Graph signIns page built from demo_tenant_subset.ndjson; no
# other address is ever used), Measure-LegacyAuthUsage -WorkspaceId -ShowQuery, and that the
# access token never reaches a stream.

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Shared.ps1')
    $fixtures = Join-Path -Path (Join-Path -Path (Get-EatTestRepositoryRoot) -ChildPath 'tests') -ChildPath 'fixtures'
    Import-Module -Name (Get-EatTestManifestPath) -Force -ErrorAction Stop
    $secret = 'eat-test-token-7f3c9d'
    $token = ConvertTo-SecureString -String $secret -AsPlainText -Force

    # One IMAP4 record of the demo tenant, as every page of every query.
    $imap = Get-Content -LiteralPath (Join-Path -Path $fixtures -ChildPath 'demo_tenant_subset.ndjson') |
        Where-Object -FilterScript { $_ -match '"clientAppUsed":"IMAP4"' } | Select-Object -First 1
    $page = '{"value":[' + $imap + ']}'
    $probe = New-Object -TypeName 'System.Net.Sockets.TcpListener' -ArgumentList @([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $port = $probe.LocalEndpoint.Port
    $probe.Stop()
    $graphUrl = 'http://127.0.0.1:{0}/' -f $port
    $listener = New-Object -TypeName 'System.Net.HttpListener'
    $listener.Prefixes.Add($graphUrl)
    $listener.Start()
    $server = [powershell]::Create()
    $null = $server.AddScript({
            param($Listener, $Body)
            $bytes = [System.Text.Encoding]::UTF8.GetBytes($Body)
            while ($Listener.IsListening) {
                try {
                    $context = $Listener.GetContext()
                }
                catch {
                    break
                }
                $context.Response.ContentType = 'application/json'
                $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                $context.Response.Close()
            }
        }).AddArgument($listener).AddArgument($page)
    $serverHandle = $server.BeginInvoke()
}

AfterAll {
    $listener.Stop()
    $listener.Close()
    $server.Dispose()
    Remove-Module -Name 'ExchangeAuthTools' -ErrorAction SilentlyContinue
}

Describe 'Get-LegacyAuthSignIn -FromGraph' {
    It 'streams typed sign-ins from Graph' {
        $records = @(Get-LegacyAuthSignIn -FromGraph -AccessToken $token -GraphUrl $graphUrl -Since (Get-Date).AddDays(-7) -ErrorAction Stop)
        $records.Count | Should -BeGreaterThan 0
        $records[0].PSObject.TypeNames[0] | Should -Be 'ExchangeAuthTools.SignIn'
        $records[0].ClientAppUsed | Should -Be 'IMAP4'
        $records[0].CreatedDateTime | Should -BeOfType ([datetime])
    }

    It 'applies -Protocol, -Outcome and wildcard -UserPrincipalName to the fetched records' {
        @(Get-LegacyAuthSignIn -FromGraph -AccessToken $token -GraphUrl $graphUrl -Protocol SMTP) | Should -HaveCount 0
        @(Get-LegacyAuthSignIn -FromGraph -AccessToken $token -GraphUrl $graphUrl -Protocol IMAP).Count | Should -BeGreaterThan 0
        @(Get-LegacyAuthSignIn -FromGraph -AccessToken $token -GraphUrl $graphUrl -UserPrincipalName '*@example.org') | Should -HaveCount 0
        $record = @(Get-LegacyAuthSignIn -FromGraph -AccessToken $token -GraphUrl $graphUrl)[0]
        $outcome = if ($record.Succeeded) { 'Failure' } else { 'Success' }
        @(Get-LegacyAuthSignIn -FromGraph -AccessToken $token -GraphUrl $graphUrl -Outcome $outcome) | Should -HaveCount 0
    }

    It 'never writes the token to any stream' {
        # Debug and verbose on inside the module (-Debug would prompt on Windows PowerShell 5.1).
        $all = InModuleScope -ModuleName 'ExchangeAuthTools' -Parameters @{ Token = $token; Url = $graphUrl } -ScriptBlock {
            param($Token, $Url)
            $DebugPreference = 'Continue'
            $VerbosePreference = 'Continue'
            Get-LegacyAuthSignIn -FromGraph -AccessToken $Token -GraphUrl $Url *>&1 | Out-String
        }
        $all | Should -Not -Match $secret
        $all | Should -Match 'accessToken'
    }
}

Describe 'Measure-LegacyAuthUsage -WorkspaceId' {
    It 'shows the KQL it would send, without a token' {
        $query = Measure-LegacyAuthUsage -ShowQuery -By Protocol
        $query | Should -BeOfType ([string])
        $query | Should -Match 'SigninLogs'
    }

    It 'takes the token as a SecureString only' {
        (Get-Command -Name 'Measure-LegacyAuthUsage').Parameters['AccessToken'].ParameterType | Should -Be ([System.Security.SecureString])
        (Get-Command -Name 'Get-LegacyAuthSignIn').Parameters['AccessToken'].ParameterType | Should -Be ([System.Security.SecureString])
    }
}

#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.3.0' }
# Help content of every exported command (the pattern of Pester's own tst/Help.Tests.ps1).

BeforeDiscovery {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Shared.ps1')
    $manifestPath = Get-EatTestManifestPath
    Import-Module -Name $manifestPath -Force -ErrorAction Stop
    $commands = @(Get-Command -Module 'ExchangeAuthTools' -CommandType Function | ForEach-Object -Process { @{ Name = $_.Name } })
}

BeforeAll {
    $commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe '<Name> help' -ForEach $commands {
    BeforeAll {
        $help = Get-Help -Name $Name -Full
        $command = Get-Command -Name $Name
    }

    It 'has a synopsis that is not the generated syntax' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike ($Name + ' *[*')
    }

    It 'has a description' {
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example with code and remarks' {
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        foreach ($example in @($help.Examples.Example)) {
            $example.Code | Should -Not -BeNullOrEmpty
            ($example.Remarks | Out-String).Trim() | Should -Not -BeNullOrEmpty
        }
    }

    It 'describes every parameter' {
        $parameters = @($command.Parameters.Keys | Where-Object -FilterScript { $commonParameters -notcontains $_ })
        foreach ($parameter in $parameters) {
            $parameterHelp = $help.Parameters.Parameter | Where-Object -Property Name -EQ $parameter
            ($parameterHelp.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }

    It 'links to the online help first' {
        $links = @($help.RelatedLinks.NavigationLink)
        $links[0].Uri | Should -BeLike 'https://*'
    }
}

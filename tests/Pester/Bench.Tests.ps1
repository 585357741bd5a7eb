# Smoke test of the benchmarks: tools/Bench.ps1 -Quick runs every benchmark at a tiny size against the staged module
# and must write a report with every figure. Timings are never asserted: on a shared machine they mean nothing here.

BeforeDiscovery {
    # Every figure the report must carry (tools/Bench.ps1 writes one row per id, or an "error" row).
    $script:FigureIds = @(
        'process.bare'
        'process.bare-cpu'
        'import.gliderps'
        'import.psresourceget'
        'import.minimal-binary'
        'import.gliderps-with-output'
        'import.gliderps-cpu'
        'import.psresourceget-cpu'
        'cold.first-call'
        'cold.first-call-cpu'
        'cold.invokerestmethod'
        'cold.invokerestmethod-cpu'
        'percall.httpclient'
        'percall.invokerestmethod'
        'percall.gliderps-vs-irm'
        'percall.gliderps-vs-floor'
        'percall.httpclient-blocking'
        'percall.gliderclient'
        'percall.noop-cmdlet'
        'fanout.gliderps-wall'
        'fanout.gliderps-polls'
        'fanout.peer-wall'
        foreach ($latency in 0, 50) {
            # -Quick measures these two latencies (the full run adds 150 ms).
            "network.l$latency.gliderps-wall"
            "network.l$latency.first-result"
            "network.l$latency.polls"
            "network.l$latency.gliderps32-wall"
            "network.l$latency.peer16-wall"
            "network.l$latency.peer32-wall"
        }
        'ratelimit.wall'
        'ratelimit.429-share'
        'memory.peak'
    ) | ForEach-Object { @{ Id = $_ } }
}

Describe 'tools/Bench.ps1 -Quick' {
    BeforeAll {
        $repoRoot = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..'))
        $modulePath = if ($env:GLIDERPS_MODULE_PATH) { $env:GLIDERPS_MODULE_PATH } else { [System.IO.Path]::Combine($repoRoot, 'out', 'GliderPS') }
        $reportPath = Join-Path $TestDrive 'bench.md'
        # Its own process, as build.ps1 runs it: the benchmarks start children and an emulator of their own.
        $output = & dotnet ([System.IO.Path]::Combine($PSHOME, 'pwsh.dll')) -NoProfile -NonInteractive `
            -File ([System.IO.Path]::Combine($repoRoot, 'tools', 'Bench.ps1')) -Quick -ModulePath $modulePath -OutputPath $reportPath 2>&1 |
            ForEach-Object { "$_" }
        $exitCode = $LASTEXITCODE
        $report = if (Test-Path -LiteralPath $reportPath) { Get-Content -Raw -LiteralPath $reportPath } else { '' }
        $rows = @{}
        foreach ($line in $report -split "`r?`n") {
            # | `id` | figure | median | min | max | baseline | ratio | target | result |
            # Cells are split on | but not on \| (an escaped pipe inside a cell).
            if ($line -match '^\| `([a-z0-9.-]+)` \|') { $rows[$Matches[1]] = @(($line.Trim('|') -split '(?<!\\)\|') | ForEach-Object Trim) }
        }
    }

    It 'exits 0 (every benchmark ran)' {
        $exitCode | Should -Be 0 -Because ($output -join "`n")
    }

    It 'writes the report to -OutputPath' {
        $report | Should -Not -BeNullOrEmpty
        $report | Should -Match '(?m)^\| id \| figure \| median \| min \| max \| baseline \| ratio \| target \| result \|$'
    }

    It 'reports figure <Id> with a median, min and max and a result' -ForEach $FigureIds {
        $rows.ContainsKey($Id) | Should -BeTrue -Because "the table needs a row for $Id"
        $cells = $rows[$Id]
        $cells.Count | Should -Be 9
        foreach ($cell in $cells[2..4]) { $cell | Should -Match '^-?[0-9][0-9,]*(\.[0-9]+)? ?\S*$' }
        $cells[8] | Should -BeIn @('pass', '**miss**', '-')
    }

    It 'records the machine it ran on' {
        foreach ($field in 'Date (UTC)', 'CPU', 'Logical cores', 'OS', '.NET', 'PowerShell', 'Load average') {
            $report | Should -Match ([regex]::Escape("| $field"))
        }
    }

    It 'stops the emulator it started' {
        $started = $output | Where-Object { $_ -match 'Emulator at http://127\.0\.0\.1:(\d+)' } | Select-Object -First 1
        $started | Should -Not -BeNullOrEmpty
        $port = [int] ([regex]::Match($started, '127\.0\.0\.1:(\d+)').Groups[1].Value)
        $client = [System.Net.Sockets.TcpClient]::new()
        try {
            { $client.Connect('127.0.0.1', $port) } | Should -Throw
        }
        finally {
            $client.Dispose()
        }
    }
}

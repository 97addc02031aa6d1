// Drives the real cdylib through powershell/Private/ExchangeAuthTools.Native.cs, the exact C# the
// module passes to Add-Type. Compiled by tests/mono_interop.rs with `mcs -langversion:5` and run by
// `mono Harness.exe <cdylib> <abi version> <sample.json> <large.ndjson>`.
// Every check prints "ok <name>"; the first failure prints "FAIL <name>: <why>" and exits 1.
// C# 5 only, like the interop file (no JSON library either: Mono's minimal runtime has none).

using System;
using System.Diagnostics;
using System.Text.RegularExpressions;
using ExchangeAuthTools.Native.V1;

public static class Harness
{
    private static int checks;

    private static void Check(bool condition, string name, string detail)
    {
        if (!condition)
        {
            Console.WriteLine("FAIL " + name + ": " + detail);
            Environment.Exit(1);
        }
        checks++;
        Console.WriteLine("ok " + name);
    }

    private static int Count(string text, string needle)
    {
        int n = 0;
        int i = 0;
        while (text != null && (i = text.IndexOf(needle, i, StringComparison.Ordinal)) >= 0)
        {
            n++;
            i += needle.Length;
        }
        return n;
    }

    private static bool HasJapanese(string s)
    {
        foreach (char c in s)
        {
            if ((c >= '\u3040' && c <= '\u30ff') || (c >= '\u4e00' && c <= '\u9fff'))
            {
                return true;
            }
        }
        return false;
    }

    private static string Json(string s)
    {
        return s.Replace("\\", "\\\\").Replace("\"", "\\\"");
    }

    private static EatException Expect(Func<string> action)
    {
        try
        {
            action();
        }
        catch (EatException e)
        {
            return e;
        }
        return null;
    }

    public static int Main(string[] args)
    {
        if (args.Length != 4)
        {
            Console.WriteLine("usage: Harness.exe <cdylib> <abi version> <sample.json> <large.ndjson>");
            return 2;
        }
        string libPath = args[0];
        uint expectedAbi = uint.Parse(args[1]);
        string sample = Json(args[2]);
        string large = Json(args[3]);

        // Load + version check, as Import-EatNativeLibrary does at import.
        EatLibrary lib = EatLibrary.Load(libPath);
        Check(lib.AbiVersion() == expectedAbi, "abi_version", "library says " + lib.AbiVersion() + ", expected " + expectedAbi);
        Check(object.ReferenceEquals(lib, EatLibrary.Load(libPath)), "load_once_per_path", "a second Load made a new instance");

        // Load failures name the path and the OS loader's reason (the module turns them into its
        // LoaderLoadFailed error).
        foreach (string bad in new string[] { args[2], libPath + ".missing" })
        {
            DllNotFoundException loadError = null;
            try
            {
                EatLibrary.Load(bad);
            }
            catch (DllNotFoundException e)
            {
                loadError = e;
            }
            Check(loadError != null && loadError.Message.Contains(bad) && loadError.Message.Length > bad.Length + 2,
                "load_failure_names_path_and_reason", loadError == null ? "loaded " + bad : loadError.Message);
        }

        // One-shot calls.
        string version = lib.Call("{\"op\":\"version\"}");
        Check(version.Contains("\"abiVersion\":" + expectedAbi), "call_version", version);
        string catalogueJa = lib.Call("{\"op\":\"catalogue\",\"params\":{},\"lang\":\"ja-JP\"}");
        Check(catalogueJa.StartsWith("[") && catalogueJa.Contains("\"clientAppUsed\":\"Authenticated SMTP\"") && HasJapanese(catalogueJa),
            "call_catalogue_ja", catalogueJa.Substring(0, Math.Min(200, catalogueJa.Length)));
        string summary = lib.Call("{\"op\":\"summary\",\"params\":{\"paths\":[\"" + sample + "\"],\"includeModern\":true,\"by\":\"User\"},\"lang\":\"en-US\"}");
        Check(summary.Contains("\"rows\":[{") && summary.Contains("\"groupBy\":\"User\""), "call_summary_sample", summary.Substring(0, Math.Min(300, summary.Length)));

        // Errors: an unknown operation, in Japanese; invalid JSON; a streaming op called one-shot.
        EatException unknown = Expect(delegate { return lib.Call("{\"op\":\"no_such_op\",\"lang\":\"ja-JP\"}"); });
        Check(unknown != null && unknown.Status == EatStatus.InvalidRequest, "error_unknown_op_status", unknown == null ? "no exception" : unknown.Status.ToString());
        Check(unknown.ErrorJson.Contains("\"code\":\"unknown_operation\"") && unknown.ErrorJson.Contains("\"category\":\"NotImplemented\""),
            "error_unknown_op_body", unknown.ErrorJson);
        Check(HasJapanese(unknown.ErrorJson) && unknown.ErrorJson.Contains("no_such_op"), "error_message_in_japanese", unknown.ErrorJson);
        EatException english = Expect(delegate { return lib.Call("{\"op\":\"no_such_op\",\"lang\":\"en-US\"}"); });
        Check(english != null && !HasJapanese(english.ErrorJson), "error_message_in_english", english == null ? "no exception" : english.ErrorJson);
        EatException badJson = Expect(delegate { return lib.Call("{\"op\":"); });
        Check(badJson != null && badJson.Status == EatStatus.InvalidRequest &&
            (badJson.ErrorJson.Contains("\"code\":\"invalid_json\"") || badJson.ErrorJson.Contains("\"code\":\"invalid_request\"")),
            "error_invalid_json", badJson == null ? "no exception" : badJson.ErrorJson);
        EatException missingPaths = Expect(delegate { return lib.Call("{\"op\":\"summary\",\"params\":{}}"); });
        Check(missingPaths != null && missingPaths.ErrorJson.Contains("\"category\":\"InvalidArgument\""), "error_missing_paths",
            missingPaths == null ? "no exception" : missingPaths.ErrorJson);
        EatException startOneShot = null;
        try
        {
            lib.StartJob("{\"op\":\"version\"}").Dispose();
        }
        catch (EatException e)
        {
            startOneShot = e;
        }
        Check(startOneShot != null, "error_job_start_one_shot_op", "eat_job_start accepted a one-shot op");

        // A streamed job over the real sample, in batches of at most 2.
        int signIns = 0;
        int batches = 0;
        using (Job job = lib.StartJob("{\"op\":\"scan\",\"params\":{\"paths\":[\"" + sample + "\"],\"includeModern\":true}}"))
        {
            string batch;
            while ((batch = job.NextBatch(2)) != null)
            {
                int items = Count(batch, "\"kind\":");
                Check(batch.StartsWith("[") && items <= 2, "batch_" + batches + "_at_most_2", batch);
                signIns += Count(batch, "\"kind\":\"signIn\"");
                batches++;
                Check(job.Progress().Contains("\"items\":"), "progress_" + batches, job.Progress());
            }
            Check(job.IsDone && job.NextBatch(2) == null, "job_done_stays_done", "NextBatch after done returned items");
            string end = job.Summary();
            Check(end.Contains("\"stats\"") && end.Contains("\"problems\""), "job_summary", end);
            Check(Regex.IsMatch(job.Progress(), "\"done\":true"), "progress_done", job.Progress());
        }
        Check(signIns > 0 && batches >= 1, "scan_sample_signins", signIns + " sign-ins in " + batches + " batches");
        Match records = Regex.Match(summary, "\"records\":(\\d+)");
        Match skipped = Regex.Match(summary, "\"skipped\":(\\d+)");
        Check(records.Success && skipped.Success && signIns == int.Parse(records.Groups[1].Value) - int.Parse(skipped.Groups[1].Value),
            "scan_count_matches_summary_stats", signIns + " streamed; summary stats " + records.Value + " " + skipped.Value);

        // The streaming summary Measure-LegacyAuthUsage uses: one "summary" item with the rows.
        string streamed = string.Empty;
        using (Job sj = lib.StartJob("{\"op\":\"summaryJob\",\"params\":{\"paths\":[\"" + sample + "\"],\"includeModern\":true,\"by\":\"User\"}}"))
        {
            string polled;
            while ((polled = sj.NextBatch(10, 1000)) != null)
            {
                streamed += polled;
            }
        }
        Check(Count(streamed, "\"kind\":\"summary\"") == 1 && streamed.Contains("\"rows\":[{") && streamed.Contains("\"sprayIps\""),
            "summary_job_streams_one_summary", streamed.Substring(0, Math.Min(300, streamed.Length)));

        // Cancel mid-stream over a large input: honoured within one batch.
        Job big = lib.StartJob("{\"op\":\"scan\",\"params\":{\"paths\":[\"" + large + "\"],\"includeModern\":true}}");
        string first = big.NextBatch(100);
        Check(first != null && Count(first, "\"kind\":") > 0, "large_first_batch", first == null ? "null" : first.Substring(0, Math.Min(200, first.Length)));
        big.Cancel();
        big.Cancel();
        EatException cancelled = null;
        int after = 0;
        for (int i = 0; i < 2 && cancelled == null; i++)
        {
            try
            {
                string more = big.NextBatch(100);
                if (more == null)
                {
                    break;
                }
                after += Count(more, "\"kind\":");
            }
            catch (EatException e)
            {
                cancelled = e;
            }
        }
        Check(cancelled != null && cancelled.Status == EatStatus.Cancelled, "cancel_honoured_within_one_batch",
            cancelled == null ? "still streaming after cancel (" + after + " more items)" : cancelled.Status.ToString());
        big.Dispose();
        big.Dispose();
        big.Cancel();
        Check(true, "dispose_twice_and_cancel_after_dispose", "");
        ObjectDisposedException disposed = null;
        try
        {
            big.NextBatch(1);
        }
        catch (ObjectDisposedException e)
        {
            disposed = e;
        }
        Check(disposed != null, "next_after_dispose_is_managed_error", "no ObjectDisposedException");

        // NextBatch with a wait limit: a legacy-only scan of the large (all-modern) input yields no
        // item for a while; the call returns "" instead of blocking, so PowerShell stays responsive.
        Job quiet = lib.StartJob("{\"op\":\"scan\",\"params\":{\"paths\":[\"" + large + "\"]}}");
        string nothingYet = quiet.NextBatch(100, 0);
        Check(nothingYet != null && nothingYet.Length == 0, "next_with_wait_limit_returns_empty", nothingYet == null ? "null" : nothingYet);
        quiet.Cancel();
        EatException quietCancelled = null;
        Stopwatch clock = Stopwatch.StartNew();
        while (quietCancelled == null && clock.ElapsedMilliseconds < 5000)
        {
            try
            {
                if (quiet.NextBatch(100, 50) == null)
                {
                    break;
                }
            }
            catch (EatException e)
            {
                quietCancelled = e;
            }
        }
        Check(quietCancelled != null && quietCancelled.Status == EatStatus.Cancelled, "cancel_wakes_a_pending_next",
            quietCancelled == null ? "no EAT_CANCELLED within 5 s" : quietCancelled.Status.ToString());
        quiet.Dispose();
        Job abandoned = lib.StartJob("{\"op\":\"scan\",\"params\":{\"paths\":[\"" + large + "\"]}}");
        Check(abandoned.NextBatch(100, 0) == "", "pending_next_before_dispose", "");
        abandoned.Dispose();
        Check(true, "dispose_while_next_pending", "");
        int empties = 0;
        int legacyItems = 0;
        using (Job slow = lib.StartJob("{\"op\":\"scan\",\"params\":{\"paths\":[\"" + large + "\"]}}"))
        {
            string polled;
            while ((polled = slow.NextBatch(100, 5)) != null)
            {
                if (polled.Length == 0)
                {
                    empties++;
                }
                legacyItems += Count(polled, "\"kind\":\"signIn\"");
            }
        }
        Check(empties > 0 && legacyItems == 0, "wait_limited_loop_reaches_done", empties + " empty polls, " + legacyItems + " legacy items");

        // Two jobs interleaved (concurrent jobs are independent); the second is freed while running.
        Job a = lib.StartJob("{\"op\":\"scan\",\"params\":{\"paths\":[\"" + large + "\"],\"includeModern\":true}}");
        Job b = lib.StartJob("{\"op\":\"scan\",\"params\":{\"paths\":[\"" + sample + "\"],\"includeModern\":true}}");
        int fromA = 0;
        int fromB = 0;
        for (int i = 0; i < 5; i++)
        {
            string ba = a.NextBatch(10);
            string bb = b.NextBatch(10);
            fromA += Count(ba, "\"kind\":");
            fromB += Count(bb, "\"kind\":");
        }
        b.Dispose();
        a.Dispose();
        Check(fromA >= 5 && fromB == signIns, "interleaved_jobs", fromA + " from the large input, " + fromB + " from the sample (expected " + signIns + ")");

        // Freeing: many calls and job cycles must not grow the process (each leaked buffer is the whole catalogue).
        for (int i = 0; i < 200; i++)
        {
            lib.Call("{\"op\":\"catalogue\"}");
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = Process.GetCurrentProcess().WorkingSet64;
        int catalogueBytes = 0;
        for (int i = 0; i < 3000; i++)
        {
            catalogueBytes = lib.Call("{\"op\":\"catalogue\"}").Length;
            using (Job j = lib.StartJob("{\"op\":\"scan\",\"params\":{\"paths\":[\"" + sample + "\"],\"includeModern\":true}}"))
            {
                j.NextBatch(1);
            }
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long growth = Process.GetCurrentProcess().WorkingSet64 - before;
        long leakedIfNotFreed = 3000L * catalogueBytes;
        Check(growth < leakedIfNotFreed / 2, "buffers_and_jobs_freed",
            "working set grew by " + growth + " bytes over 3000 calls (a leak would be ~" + leakedIfNotFreed + ")");

        Console.WriteLine("HARNESS PASS " + checks + " checks");
        return 0;
    }
}

using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project bench/Ferry.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

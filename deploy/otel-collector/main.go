// Command otelcol-calltrace is a small OpenTelemetry Collector distribution with the
// components calltrace's deployment needs (see components.go and README.md). It is laid out
// like the Collector builder's (ocb) output, written by hand so that building it needs only
// the Go toolchain and the Go module proxy.
package main

import (
	"log"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/envprovider"
	"go.opentelemetry.io/collector/confmap/provider/fileprovider"
	"go.opentelemetry.io/collector/otelcol"
)

func main() {
	info := component.BuildInfo{
		Command:     "otelcol-calltrace",
		Description: "OpenTelemetry Collector for calltrace: OTLP in, load balancing by trace id, tail sampling, OTLP/file/debug out",
		Version:     "0.161.0-calltrace",
	}

	settings := otelcol.CollectorSettings{
		BuildInfo: info,
		Factories: components,
		ConfigProviderSettings: otelcol.ConfigProviderSettings{
			ResolverSettings: confmap.ResolverSettings{
				// file: for --config paths, env: for ${env:VAR} inside them.
				ProviderFactories: []confmap.ProviderFactory{
					envprovider.NewFactory(),
					fileprovider.NewFactory(),
				},
				DefaultScheme: "env",
			},
		},
	}

	if err := otelcol.NewCommand(settings).Execute(); err != nil {
		log.Fatalf("collector server run finished with error: %v", err)
	}
}

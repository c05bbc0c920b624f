// Command dyad turns news text into CAMEO/PLOVER political event data.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// version is set by the build (-ldflags "-X main.version=...").
var version = "0.1.0-dev"

// errFailed reports that some inputs failed; their errors were already printed.
var errFailed = errors.New("some inputs failed")

func main() {
	if err := newRoot().Execute(); err != nil {
		if !errors.Is(err, errFailed) {
			fmt.Fprintln(os.Stderr, "dyad:", err)
		}
		os.Exit(1)
	}
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "dyad",
		Short:         "dyad turns news text into CAMEO/PLOVER event data with the evidence for each event",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.AddCommand(cleanCmd(), codeCmd(), evalCmd(), benchCmd(), codebookCmd(), evalExtractCmd(), ingestCmd(), geoCmd())
	root.AddCommand(storeCmds()...)
	root.AddCommand(workerCmd(), serveCmd(), demoCmd(), exportCmd())
	return root
}

package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// evalExtractCmd scores HTML extraction on the ScrapingHub benchmark.
func evalExtractCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "eval-extract DIR",
		Short: "score article extraction on the ScrapingHub benchmark",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("eval-extract: not built yet")
		},
	}
}

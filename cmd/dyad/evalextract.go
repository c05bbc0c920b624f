package main

import (
	"encoding/json"
	"fmt"

	"github.com/dyadproject/dyad/internal/extract"
	"github.com/dyadproject/dyad/internal/extract/aeb"
	"github.com/spf13/cobra"
)

// evalExtractCmd scores HTML extraction on the ScrapingHub benchmark.
func evalExtractCmd() *cobra.Command {
	var asJSON bool
	var workers int
	c := &cobra.Command{
		Use:   "eval-extract [--json] [--workers N] DIR",
		Short: "score article extraction on the ScrapingHub benchmark beside the reference tools",
		Long: "eval-extract runs dyad's HTML extraction over every page of the ScrapingHub\n" +
			"article-extraction benchmark in DIR (ground-truth.json, html/*.html.gz and\n" +
			"reference-outputs/*.json) and prints precision, recall, F1 and accuracy with the\n" +
			"benchmark's metric, beside each reference tool's, then the speed and every failed page.\n" +
			"A failed page counts as an empty extraction.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			b, err := aeb.Load(dir)
			if err != nil {
				return fmt.Errorf("eval-extract: %w", err)
			}
			refs, err := aeb.References(dir)
			if err != nil {
				return fmt.Errorf("eval-extract: %w", err)
			}
			run := b.Run(func(html []byte, url string) (string, error) {
				p, err := extract.Extract(html, url)
				return p.Text, err
			}, workers)
			rep := aeb.NewReport(b, "dyad", run, refs)
			w := cmd.OutOrStdout()
			if asJSON {
				out, err := json.MarshalIndent(rep, "", "  ")
				if err != nil {
					return err
				}
				fmt.Fprintln(w, string(out))
				return nil
			}
			rep.WriteText(w)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	c.Flags().IntVar(&workers, "workers", 0, "pages extracted at once (0: GOMAXPROCS)")
	return c
}

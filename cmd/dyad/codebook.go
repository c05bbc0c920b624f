package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/dyadproject/dyad/internal/codebook"
	"github.com/spf13/cobra"
)

func codebookCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "codebook",
		Short: "print the embedded CAMEO codebook: code, name, Goldstein weight, quad class, PLOVER category and mode",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CODE\tGOLDSTEIN\tQUAD\tPLOVER\tMODE\tNAME")
			for _, c := range codebook.All() {
				fmt.Fprintf(tw, "%s\t%.1f\t%d\t%s\t%s\t%s\n", c.Code, c.Goldstein, c.Quad, c.PLOVER, c.PLOVERMode, c.Name)
			}
			return tw.Flush()
		},
	}
}

package main

import "github.com/spf13/cobra"

// geoCmd prints the places resolved in a text (filled by the geo work).
func geoCmd() *cobra.Command {
	return &cobra.Command{Use: "geo TEXT", Short: "print the places resolved in TEXT", Hidden: true, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return nil }}
}

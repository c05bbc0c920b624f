package main

import "github.com/spf13/cobra"

// storeCmds are the commands that read and write the event store.
func storeCmds() []*cobra.Command { return nil }

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/dyadproject/dyad/internal/bench"
	"github.com/spf13/cobra"
)

func benchCmd() *cobra.Command {
	var corpus string
	var runs, generate int
	var asJSON bool
	var d dictFlags
	c := &cobra.Command{
		Use:   "bench [--corpus DIR]",
		Short: "measure sentences and articles per CPU-second and peak memory (BBC corpus when present, else generated)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			runtime.GOMAXPROCS(1)
			t0 := time.Now()
			cd, err := d.load()
			if err != nil {
				return err
			}
			load := time.Since(t0)
			var docs []string
			name := corpus
			if corpus != "" {
				if docs, err = bench.LoadCorpus(corpus); err != nil {
					return err
				}
			} else {
				docs, name = bench.Generate(generate, 1), fmt.Sprintf("generated (%d articles)", generate)
			}
			res := bench.Run(cd, name, docs, runs)
			if asJSON {
				b, _ := json.Marshal(struct {
					bench.Result
					DictLoadMS float64 `json:"dictionary_load_ms"`
				}{res, float64(load.Microseconds()) / 1000})
				fmt.Fprintln(cmd.OutOrStdout(), string(b))
				return nil
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "corpus            %s\n", res.Corpus)
			fmt.Fprintf(w, "articles          %d (%d sentences, %d events)\n", res.Articles, res.Sentences, res.Events)
			fmt.Fprintf(w, "coding            %.0f sentences/CPU-second (clean text → events, median of %d)\n", res.CodeSentPerSec, res.Runs)
			fmt.Fprintf(w, "full pipeline     %.0f articles/CPU-second, %.0f sentences/CPU-second (raw → clean → events)\n", res.FullArtPerSec, res.FullSentPerSec)
			fmt.Fprintf(w, "dictionary load   %.1f ms\n", float64(load.Microseconds())/1000)
			fmt.Fprintf(w, "peak memory       %.1f MiB (VmHWM)\n", res.PeakRSSMiB)
			return nil
		},
	}
	d.register(c)
	def := "../shared/corpora/bbc-news-2225"
	if _, err := os.Stat(def); err != nil {
		def = ""
	}
	c.Flags().StringVar(&corpus, "corpus", def, "folder of .txt articles (default: the BBC corpus when present)")
	c.Flags().IntVar(&runs, "runs", 5, "timed runs; the median is reported")
	c.Flags().IntVar(&generate, "generate", 2000, "articles to generate when there is no corpus")
	c.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return c
}

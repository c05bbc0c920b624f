package main

import (
	"encoding/json"
	"fmt"

	"github.com/dyadproject/dyad/internal/coder"
	"github.com/dyadproject/dyad/internal/eval"
	"github.com/dyadproject/dyad/internal/geo"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/spf13/cobra"
)

func evalCmd() *cobra.Command {
	var asJSON, explain bool
	var d dictFlags
	c := &cobra.Command{
		Use:   "eval [--json] [--explain] GOLD.jsonl...",
		Short: "score the coder against hand-coded gold sentences (type, dyad and exact P/R/F1)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cd, err := d.load()
			if err != nil {
				return err
			}
			failed := false
			w := cmd.OutOrStdout()
			for _, path := range args {
				recs, err := eval.ReadGold(path)
				if err != nil {
					fmt.Fprintln(cmd.ErrOrStderr(), "dyad eval:", err)
					failed = true
				}
				if len(recs) == 0 {
					continue
				}
				rep := eval.Score(recs, Predict(cd, recs))
				var loc *eval.LocationReport
				if g := geo.Default(); hasLocations(recs) && g.Err() == nil {
					l := eval.ScoreLocations(recs, locatePredictions(cd, g, recs), goldCountry(g))
					loc = &l
				}
				if asJSON {
					b, _ := json.Marshal(struct {
						File     string               `json:"file"`
						Report   eval.Report          `json:"report"`
						Location *eval.LocationReport `json:"location,omitempty"`
					}{path, rep, loc})
					fmt.Fprintln(w, string(b))
					continue
				}
				fmt.Fprintf(w, "== %s (%d sentences)\n", path, len(recs))
				rep.WriteText(w)
				if loc != nil {
					fmt.Fprintln(w)
					loc.WriteText(w)
				}
				if explain {
					writeMisses(w, rep)
				}
				fmt.Fprintln(w)
			}
			if failed {
				return errFailed
			}
			return nil
		},
	}
	d.register(c)
	c.Flags().BoolVar(&asJSON, "json", false, "one JSON report per gold file")
	c.Flags().BoolVar(&explain, "explain", false, "list every miss and false alarm with the rule that fired")
	return c
}

// Predict codes each gold sentence as its own document. Negated events
// ("did not attack") are not claims that something happened, so they are not
// scored as predictions.
func Predict(cd *coder.Coder, recs []eval.Record) map[string][]eval.Pred {
	preds := make(map[string][]eval.Pred, len(recs))
	for _, r := range recs {
		doc := model.Document{ID: r.ID, Text: r.Text, Date: normDate(r.Date)}
		var ps []eval.Pred
		for _, e := range cd.Code(doc) {
			if e.Negated {
				continue
			}
			ps = append(ps, eval.Pred{Source: code(e.Source), Target: code(e.Target), CAMEO: e.CAMEO, PLOVER: e.PLOVER, Rule: e.Rule, Trigger: e.Trigger.Text})
		}
		preds[r.ID] = ps
	}
	return preds
}

func code(a *model.Actor) string {
	if a == nil {
		return ""
	}
	return a.Code
}

// normDate accepts YYYY-MM-DD and PETRARCH's YYYYMMDD.
func normDate(s string) string {
	if len(s) == 8 {
		return s[:4] + "-" + s[4:6] + "-" + s[6:]
	}
	if len(s) == 10 {
		return s
	}
	return ""
}

func writeMisses(w interface{ Write([]byte) (int, error) }, rep eval.Report) {
	fmt.Fprintln(w, "\nmisses and false alarms:")
	for _, m := range rep.Misses {
		switch m.Kind {
		case eval.Missed:
			got := ""
			if m.Predicted != nil {
				got = fmt.Sprintf(" (nearest: %s %s→%s by %s)", m.Predicted.CAMEO, m.Predicted.Source, m.Predicted.Target, m.Predicted.Rule)
			}
			fmt.Fprintf(w, "MISS  %-6s %s  want %s/%s %s→%s%s\n      %s\n", m.Level, m.ID, m.Expected.CAMEO, m.Expected.PLOVER, m.Expected.Source, m.Expected.Target, got, m.Text)
		default:
			fmt.Fprintf(w, "FALSE %-6s %s  got %s %s→%s by %s [%s]\n      %s\n", m.Level, m.ID, m.Predicted.CAMEO, m.Predicted.Source, m.Predicted.Target, m.Predicted.Rule, m.Predicted.Trigger, m.Text)
		}
	}
}

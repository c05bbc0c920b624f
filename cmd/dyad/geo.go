package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/dyadproject/dyad/internal/coder"
	"github.com/dyadproject/dyad/internal/eval"
	"github.com/dyadproject/dyad/internal/geo"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/pipeline"
	"github.com/dyadproject/dyad/internal/reader"
	"github.com/spf13/cobra"
)

// geoCmd prints the places resolved in a text and where its events are placed.
func geoCmd() *cobra.Command {
	var (
		file, date string
		asJSON     bool
		d          dictFlags
	)
	c := &cobra.Command{
		Use:   `geo "TEXT" | geo --file FILE|-`,
		Short: "print the places a text names, how each was resolved, and where its events are placed",
		Long: "Cleans the text as dyad code does, finds the places it names (countries, first-level divisions,\n" +
			"towns), resolves ambiguous names (Georgia, Moscow, Tripoli...) by the story's other places and\n" +
			"actors, and codes its events to show the location each gets and why.\n\n" +
			"Places come from GeoNames (CC BY 4.0); see internal/geo/DATA.md.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := validDateFlag(date); err != nil {
				return err
			}
			var a pipeline.Article
			switch {
			case len(args) == 1 && file != "":
				return fmt.Errorf("give TEXT or --file, not both")
			case len(args) == 1:
				text, _, err := reader.CheckText([]byte(args[0]))
				if err != nil {
					return fmt.Errorf("TEXT: %v", err)
				}
				a.Text = text
			case file != "":
				var rerr error
				reader.Read(file, false, cmd.InOrStdin(), func(it reader.Item) {
					if it.Err != nil {
						rerr = it.Err
						return
					}
					if it.Warn != nil {
						fmt.Fprintln(cmd.ErrOrStderr(), "dyad geo:", it.Warn)
					}
					a = it.Article
				})
				if rerr != nil {
					return rerr
				}
			default:
				return fmt.Errorf("give TEXT or --file FILE (- for standard input)")
			}
			cd, err := d.load()
			if err != nil {
				return err
			}
			g := geo.Default()
			if err := g.Err(); err != nil {
				return err
			}
			p := &pipeline.Pipeline{Coder: cd, RefDate: date, Geo: g}
			res := p.Process(a)
			ms, err := g.Mentions(res.Doc, res.Events)
			if err != nil {
				return err
			}
			w := bufio.NewWriter(cmd.OutOrStdout())
			defer w.Flush()
			if asJSON {
				return writeGeoJSON(w, ms, res.Events)
			}
			writeGeoText(w, ms, res.Events)
			return nil
		},
	}
	d.register(c)
	c.Flags().StringVar(&file, "file", "", "read the text from FILE (- for standard input)")
	c.Flags().StringVar(&date, "date", "", "reference date YYYY-MM-DD when the text gives no year")
	c.Flags().BoolVar(&asJSON, "json", false, "print {places, events} as JSON")
	return c
}

func writeGeoText(w io.Writer, ms []geo.Mention, evs []model.Event) {
	fmt.Fprintf(w, "places (%d):\n", len(ms))
	for _, m := range ms {
		l := m.Location
		span := fmt.Sprintf("%d-%d", l.Start, l.End)
		if m.Use == geo.UseDateline {
			span = "dateline"
		}
		amb := ""
		if m.Meanings > 1 {
			amb = fmt.Sprintf("  (1 of %d readings, lead %.1f)", m.Meanings, m.Margin)
		}
		fmt.Fprintf(w, "  %-22q %-9s %-9s %-8s %s [%s %s %s %.4f,%.4f]%s\n", l.Text, span, m.Use, l.Precision, l.Name,
			l.Country, l.FIPS, l.ADM1, l.Lat, l.Lon, amb)
	}
	fmt.Fprintf(w, "events (%d):\n", len(evs))
	for _, e := range evs {
		where := "(no location)"
		if l := e.Location; l != nil {
			where = fmt.Sprintf("%s [%s %s] %s", l.Name, l.Country, l.Precision, l.Reason)
			if l.Text != "" {
				where += fmt.Sprintf(" from %q at %d-%d", l.Text, l.Start, l.End)
			}
		}
		fmt.Fprintf(w, "  %s %s→%s %q: %s\n", e.CAMEO, code(e.Source), code(e.Target), e.Trigger.Text, where)
	}
}

func writeGeoJSON(w io.Writer, ms []geo.Mention, evs []model.Event) error {
	type place struct {
		model.Location
		Use      string   `json:"use"`
		Readings int      `json:"readings"`
		Lead     *float64 `json:"lead,omitempty"`
	}
	type event struct {
		EventID  string          `json:"event_id"`
		CAMEO    string          `json:"cameo"`
		Source   string          `json:"source"`
		Target   string          `json:"target"`
		Trigger  string          `json:"trigger"`
		Location *model.Location `json:"location"`
	}
	out := struct {
		Places []place `json:"places"`
		Events []event `json:"events"`
	}{Places: []place{}, Events: []event{}}
	for _, m := range ms {
		p := place{Location: m.Location, Use: m.Use, Readings: m.Meanings}
		if !math.IsInf(m.Margin, 0) {
			v, _ := strconv.ParseFloat(strconv.FormatFloat(m.Margin, 'f', 2, 64), 64)
			p.Lead = &v
		}
		out.Places = append(out.Places, p)
	}
	for _, e := range evs {
		out.Events = append(out.Events, event{e.EventID, e.CAMEO, code(e.Source), code(e.Target), e.Trigger.Text, e.Location})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// locatePredictions codes each gold sentence as its own document, places its
// events, and returns the located predictions for eval.ScoreLocations.
// Negated events are left out, as Predict leaves them out.
func locatePredictions(cd *coder.Coder, g *geo.Gazetteer, recs []eval.Record) map[string][]eval.LocPred {
	out := make(map[string][]eval.LocPred, len(recs))
	for _, r := range recs {
		if r.Location == nil {
			continue
		}
		doc := model.Document{ID: r.ID, Text: r.Text, Date: normDate(r.Date)}
		evs := cd.Code(doc)
		if err := g.Locate(doc, evs); err != nil {
			continue
		}
		var ps []eval.LocPred
		for _, e := range evs {
			if e.Negated {
				continue
			}
			ps = append(ps, eval.LocPred{CAMEO: e.CAMEO, PLOVER: e.PLOVER, Location: e.Location})
		}
		out[r.ID] = ps
	}
	return out
}

// goldCountry resolves a gold location's country: its own code when it has
// one, else the gazetteer's reading of its name on its own.
func goldCountry(g *geo.Gazetteer) func(eval.GoldLocation) string {
	return func(gl eval.GoldLocation) string {
		if gl.CountryCode != "" {
			if l, ok := g.CountryByISO2(strings.ToUpper(gl.CountryCode)); ok {
				return l
			}
		}
		if l, ok := g.Best(gl.Name); ok {
			return l.Country
		}
		return ""
	}
}

func hasLocations(recs []eval.Record) bool {
	for _, r := range recs {
		if r.Location != nil {
			return true
		}
	}
	return false
}

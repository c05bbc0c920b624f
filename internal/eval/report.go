package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// jsonReport is Report's JSON form: lists in a fixed order instead of maps.
type jsonReport struct {
	Records     int            `json:"records"`
	OrphanPreds int            `json:"orphan_preds"`
	Overall     []jsonLevel    `json:"overall"`
	ByCategory  []jsonCategory `json:"by_category"`
	Misses      []Miss         `json:"misses"`
}

type jsonLevel struct {
	Level     Level   `json:"level"`
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

type jsonCategory struct {
	Category string      `json:"category"`
	Levels   []jsonLevel `json:"levels"`
}

// round4 keeps the JSON short; the counts carry the exact values.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func levelRows(m map[Level]Counts) []jsonLevel {
	rows := make([]jsonLevel, 0, len(Levels))
	for _, l := range Levels {
		c := m[l]
		rows = append(rows, jsonLevel{
			Level: l, TP: c.TP, FP: c.FP, FN: c.FN,
			Precision: round4(c.P()), Recall: round4(c.R()), F1: round4(c.F1()),
		})
	}
	return rows
}

// Categories returns the category keys in sorted order.
func (r Report) Categories() []string {
	keys := make([]string, 0, len(r.ByCategory))
	for k := range r.ByCategory {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// MarshalJSON writes levels in Levels order and categories sorted by key.
func (r Report) MarshalJSON() ([]byte, error) {
	out := jsonReport{
		Records:     r.Records,
		OrphanPreds: r.OrphanPreds,
		Overall:     levelRows(r.Overall),
		ByCategory:  []jsonCategory{},
		Misses:      r.Misses,
	}
	if out.Misses == nil {
		out.Misses = []Miss{}
	}
	for _, k := range r.Categories() {
		out.ByCategory = append(out.ByCategory, jsonCategory{Category: k, Levels: levelRows(r.ByCategory[k])})
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads the form MarshalJSON writes (precision, recall and F1
// are recomputed from the counts).
func (r *Report) UnmarshalJSON(data []byte) error {
	var in jsonReport
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	toMap := func(rows []jsonLevel) map[Level]Counts {
		m := make(map[Level]Counts, len(rows))
		for _, row := range rows {
			m[row.Level] = Counts{TP: row.TP, FP: row.FP, FN: row.FN}
		}
		return m
	}
	*r = Report{
		Records:     in.Records,
		OrphanPreds: in.OrphanPreds,
		Overall:     toMap(in.Overall),
		ByCategory:  make(map[string]map[Level]Counts, len(in.ByCategory)),
		Misses:      in.Misses,
	}
	for _, c := range in.ByCategory {
		r.ByCategory[c.Category] = toMap(c.Levels)
	}
	return nil
}

// WriteText writes an aligned table: P/R/F1 per level overall, then per
// category with its expected and predicted event counts.
func (r Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	t := r.Overall[LevelType]
	fmt.Fprintf(tw, "sentences %d\texpected %d\tpredicted %d\n", r.Records, t.TP+t.FN, t.TP+t.FP)
	if r.OrphanPreds > 0 {
		fmt.Fprintf(tw, "predicted events with no gold sentence: %d\n", r.OrphanPreds)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "level\tTP\tFP\tFN\tP\tR\tF1")
	for _, l := range Levels {
		c := r.Overall[l]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\n", l, c.TP, c.FP, c.FN, c.P(), c.R(), c.F1())
	}
	if len(r.ByCategory) > 0 {
		// No tab after the last cell, so lines carry no trailing padding.
		head := []string{"category", "expected", "predicted"}
		for _, l := range Levels {
			head = append(head, string(l)+" P", string(l)+" R", string(l)+" F1")
		}
		fmt.Fprintln(tw)
		fmt.Fprintln(tw, strings.Join(head, "\t"))
		for _, k := range r.Categories() {
			m := r.ByCategory[k]
			t := m[LevelType]
			row := []string{k, strconv.Itoa(t.TP + t.FN), strconv.Itoa(t.TP + t.FP)}
			for _, l := range Levels {
				c := m[l]
				row = append(row, fmt.Sprintf("%.3f", c.P()), fmt.Sprintf("%.3f", c.R()), fmt.Sprintf("%.3f", c.F1()))
			}
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
	}
	return tw.Flush()
}

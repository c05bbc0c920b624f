package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dyadproject/dyad/internal/model"
)

// TestPlansAgree pages through the same filters under every plan, both
// orders, and checks that each plan returns the same events in the same
// order: a plan is a route to the answer, never a different answer.
func TestPlansAgree(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		s := mustOpen(t, dsn(t))
		g := newGen(11)
		for i := 0; i < 6; i++ {
			mustPut(t, s, g.records(60, 0.1, 0.02)...)
		}
		ctx := context.Background()
		// The busiest dyad's countries, so dyad filters match something.
		top := dump(t, s, `SELECT substr(sa.code, 1, 3), substr(ta.code, 1, 3) FROM events e
			JOIN actors sa ON sa.id = e.src JOIN actors ta ON ta.id = e.tgt
			GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1`)
		if len(top) != 1 {
			t.Fatal("no events with both actors")
		}
		a, b, _ := strings.Cut(top[0], "\t")
		filters := []Filter{
			{}, {Actor: a}, {Source: a}, {Target: b}, {Source: a, Target: b}, {Source: a, Target: b, BothDirections: true},
			{Root: "01"}, {Root: "19"}, {Root: "20"}, {QuadClass: 1}, {QuadClass: 4}, {CAMEO: "01"}, {CAMEO: "190"},
			{Actor: a, Root: "01"}, {Actor: b, QuadClass: 3}, {Source: a, Target: b, BothDirections: true, QuadClass: 1},
			{Actor: a, From: "2019-01-02", To: "2019-01-02", QuadClass: 1}, {From: "2019-01-02", To: "2019-01-02", Root: "04"},
		}
		defer func() { forcePlan = nil }()
		for _, f := range filters {
			for _, desc := range []bool{false, true} {
				var want string
				for _, p := range []plan{planDay, planActor, planRoot} {
					hasActor := f.Actor != "" || f.Source != "" || f.Target != ""
					if p == planActor && !hasActor || p == planRoot && f.Root == "" && len(f.CAMEO) < 2 {
						continue
					}
					forcePlan = func(plan) plan { return p }
					got := pageAll(t, ctx, s, f, desc)
					if !desc {
						pts, err := Points(ctx, s, f, 5000)
						if err != nil {
							t.Fatalf("points %+v: %v", f, err)
						}
						got += " points"
						for _, p := range pts {
							got += fmt.Sprint(" ", p.ID)
						}
					}
					if p == planDay {
						want = got
						if desc {
							t.Logf("%+v: %d events", f, len(strings.Fields(got)))
						}
						continue
					}
					if got != want {
						t.Errorf("%+v desc=%v: plan %d gives\n%s\nplan 0 gave\n%s", f, desc, p, got, want)
					}
				}
			}
		}
	})
}

// pageAll reads every match of f, seven at a time, through the cursors.
func pageAll(t *testing.T, ctx context.Context, s *sqlStore, f Filter, desc bool) string {
	t.Helper()
	var ids []string
	c := Cursor{Desc: desc}
	for n := 0; n < 1000; n++ {
		rows, err := EventsAfter(ctx, s, f, c, 7)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		for _, r := range rows {
			ids = append(ids, fmt.Sprint(r.ID))
		}
		if len(rows) < 7 {
			return strings.Join(ids, " ")
		}
		last := rows[len(rows)-1]
		c = Cursor{Date: last.Date, ID: last.ID, Desc: desc}
	}
	t.Fatal("paging did not end")
	return ""
}

// TestNamesAfterNewActors: event lists take actor codes and CAMEO names
// from a snapshot; actors and codes stored after it was read still show.
func TestNamesAfterNewActors(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		s := queryStore(t, dsn)
		ctx := context.Background()
		if _, err := EventsAfter(ctx, s, Filter{}, Cursor{}, 100); err != nil {
			t.Fatal(err)
		}
		mustPut(t, s, rec("n1", "afp.fr", "2021-04-01", ev("BRAGOV", "ARGMIL", "0874", "2021-04-01", 0.9, 0)))
		for _, get := range []func() (EventRow, error){
			func() (EventRow, error) {
				rows, err := EventsAfter(ctx, s, Filter{Source: "BRA"}, Cursor{}, 10)
				if err != nil || len(rows) != 1 {
					return EventRow{}, fmt.Errorf("%d rows, %v", len(rows), err)
				}
				return rows[0], nil
			},
			func() (EventRow, error) {
				rows, _ := EventsAfter(ctx, s, Filter{Source: "BRA"}, Cursor{}, 10)
				if len(rows) != 1 {
					return EventRow{}, fmt.Errorf("no row")
				}
				d, err := GetEvent(ctx, s, rows[0].ID)
				if err != nil {
					return EventRow{}, err
				}
				return d.EventRow, nil
			},
		} {
			e, err := get()
			if err != nil {
				t.Fatal(err)
			}
			if e.Source != "BRAGOV" || e.Target != "ARGMIL" || e.CAMEOName != "name 0874" {
				t.Errorf("new event: source %q target %q name %q", e.Source, e.Target, e.CAMEOName)
			}
		}
	})
}

// TestPackedRowFallback: a value holding the packing separator is read
// back whole, through the plain query.
func TestPackedRowFallback(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		s := queryStore(t, dsn)
		e := ev("NORGOV", "SWEGOV", "040", "2021-05-01", 0.9, 0)
		e.Sentence.Text = "Norway\x1fconsulted Sweden."
		mustPut(t, s, rec("p1", "nrk.no", "2021-05-01", e))
		rows, err := EventsAfter(context.Background(), s, Filter{Source: "NOR"}, Cursor{}, 10)
		if err != nil || len(rows) != 1 {
			t.Fatalf("%d rows, %v", len(rows), err)
		}
		if r := rows[0]; r.Sentence != e.Sentence.Text || r.Source != "NORGOV" || r.Target != "SWEGOV" || r.Date != "2021-05-01" || r.Outlet != "nrk.no" {
			t.Errorf("read back %+v", r)
		}
		all, err := EventsAfter(context.Background(), s, Filter{}, Cursor{}, 100)
		if err != nil || len(all) != 7 {
			t.Fatalf("all events: %d, %v", len(all), err)
		}
	})
}

// TestActorSeeksAtEraEdges checks that actor and dyad filters, which SQLite
// serves by seeking each era of the date range, find exactly the events a
// plain scan finds: dates on both sides of 1970 (where integer division
// truncates) and ranges that start and end inside an era.
func TestActorSeeksAtEraEdges(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		s := mustOpen(t, dsn(t))
		day0, _ := dayOf("1969-10-01")
		var recs []model.Record
		for i := 0; i < 200; i++ { // one event a day, 1969-10-01 to 1970-04-18
			d := dateOf(day0 + i)
			src, tgt := "USAGOV", "CHNGOV"
			if i%2 == 0 {
				src, tgt = tgt, src
			}
			recs = append(recs, rec(fmt.Sprintf("d%03d", i), "ap.org", d, ev(src, tgt, "042", d, 0.9, 0)))
		}
		mustPut(t, s, recs...)
		ctx := context.Background()
		all := dump(t, s, `SELECT sa.code, ta.code, e.date FROM events e JOIN actors sa ON sa.id = e.src JOIN actors ta ON ta.id = e.tgt`)
		if len(all) < 100 {
			t.Fatalf("%d events stored", len(all))
		}
		ranges := [][2]string{{"", ""}, {"1969-12-29", "1970-01-03"}, {"1969-11-02", "1970-02-27"},
			{"1970-01-01", "1970-01-01"}, {"1969-12-31", "1969-12-31"}, {"1900-01-01", "1969-10-05"}, {"1970-04-10", "2100-01-01"}}
		filters := []Filter{{Actor: "USA"}, {Source: "USA"}, {Target: "USA"}, {Source: "CHN", Target: "USA"},
			{Source: "USA", Target: "CHN", BothDirections: true}}
		for _, r := range ranges {
			for _, f := range filters {
				f.From, f.To = r[0], r[1]
				var want int64 // by a plain reading of every event
				for _, l := range all {
					x := strings.Split(l, "\t")
					src, tgt, d := x[0], x[1], x[2]
					if (f.From != "" && d < f.From) || (f.To != "" && d > f.To) {
						continue
					}
					is := func(code, p string) bool { return p == "" || strings.HasPrefix(code, p) }
					switch {
					case f.Actor != "" && (is(src, f.Actor) || is(tgt, f.Actor)),
						f.Actor == "" && is(src, f.Source) && is(tgt, f.Target),
						f.BothDirections && is(src, f.Target) && is(tgt, f.Source):
						want++
					}
				}
				rows, err := s.Series(ctx, f, IntervalDay)
				if err != nil {
					t.Fatal(err)
				}
				var got int64
				for _, x := range rows {
					got += x.Events
				}
				if got != want {
					t.Errorf("%+v: series counts %d events, want %d", f, got, want)
				}
				for _, p := range []plan{planDay, planActor} {
					forcePlan = func(plan) plan { return p }
					for _, desc := range []bool{false, true} {
						// Pages of 7, so most ranges take several.
						var n int64
						var cur Cursor
						cur.Desc = desc
						for {
							page, err := EventsAfter(ctx, s, f, cur, 7)
							if err != nil {
								t.Fatal(err)
							}
							n += int64(len(page))
							if len(page) < 7 {
								break
							}
							last := page[len(page)-1]
							cur.Date, cur.ID = last.Date, last.ID
						}
						if n != want {
							t.Errorf("%+v, plan %d, desc %v: pages hold %d events, want %d", f, p, desc, n, want)
						}
					}
				}
				forcePlan = nil
			}
		}
	})
}

package web

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds the browser: $DYAD_CHROMIUM, else Debian's chromium.
func chromium(t *testing.T) string {
	if p := os.Getenv("DYAD_CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Skip("chromium not installed (apt-get install -y chromium, or set $DYAD_CHROMIUM): browser tests skipped")
	return ""
}

func browser(t *testing.T) context.Context {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1000),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancel3)
	if err := chromedp.Do(ctx); err != nil {
		t.Skipf("chromium did not start: %v", err)
	}
	return ctx
}

func shotDir(t *testing.T) string {
	if d := os.Getenv("DYAD_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// TestBrowser drives headless Chromium through every page: charts and the
// network are drawn with data, a filter changes what is shown, an event page
// highlights its spans. A screenshot of each page goes to $DYAD_SCREENSHOTS.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	ts, _ := testServer(t, Config{})
	dir := shotDir(t)
	shot := func(name string) {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
		if err != nil {
			t.Fatalf("%s: screenshot: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	count := func(sel string) int {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
		if err != nil {
			t.Fatalf("count %s: %v", sel, err)
		}
		return n
	}
	// open loads a page and waits until every chart on it has drawn (or
	// said it has nothing to draw).
	open := func(path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+path), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for count("svg[data-chart]") != count("svg[data-chart][data-drawn]") {
			if time.Now().After(deadline) {
				t.Fatalf("%s: charts not drawn", path)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	drawn := func(id string) int {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf("document.getElementById(%q).dataset.drawn || ''", id)))
		if err != nil {
			t.Fatal(err)
		}
		var n int
		fmt.Sscan(s, &n)
		return n
	}

	open("/")
	bars, rows := count("#quad-chart rect.bar"), count("#notable tbody tr")
	if bars == 0 || drawn("quad-chart") == 0 || count("#busiest tbody tr a") == 0 || count("#hostile tbody tr a") == 0 || rows == 0 {
		t.Errorf("overview: %d bars, %d notable rows", bars, rows)
	}
	shot("overview")

	// A filter change: material conflict only.
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("f-quad"), "4"), chromedp.Submit(chromedp.ID("filters")),
		chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
		t.Fatal(err)
	}
	open("/?quad=4") // the URL the form produced, loaded again: a shared view shows the same
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "quad=4") {
		t.Errorf("filter not in the URL: %s", loc)
	}
	if b4 := count("#quad-chart rect.bar"); b4 == 0 || b4 >= bars || b4 != count("#quad-chart rect.q4") {
		t.Errorf("quad=4: %d bars (all: %d, q4: %d)", b4, bars, count("#quad-chart rect.q4"))
	}
	cells, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#notable td.num")].map(e => e.className)`))
	for _, c := range cells {
		if !strings.Contains(c, "g-hostile") && !strings.Contains(c, "g-neg") {
			t.Errorf("quad=4 shows a non-conflict event (%s)", c)
		}
	}
	shot("overview-quad4")

	open("/events")
	if n := count("#event-list tbody tr a"); n < 20 || count("#next") != 1 {
		t.Errorf("events: %d links", n)
	}
	shot("events")

	open("/dyad?a=USA&b=CHN&interval=month")
	if drawn("dyad-counts") == 0 || drawn("dyad-gold") == 0 || drawn("dyad-roots") == 0 ||
		count("#dyad-counts polyline.dir0") == 0 || count("#dyad-counts polyline.dir1") == 0 || count("#dyad-events tbody tr a") == 0 {
		t.Errorf("dyad page: counts %d, gold %d, roots %d", drawn("dyad-counts"), drawn("dyad-gold"), drawn("dyad-roots"))
	}
	shot("dyad")

	open("/network")
	edges, nodes := count("#network path.edge"), count("#network g.node")
	if edges < 20 || nodes < 10 {
		t.Errorf("network: %d edges, %d nodes", edges, nodes)
	}
	shot("network")
	open("/network?actor=IRN")
	if e := count("#network path.edge"); e == 0 || e >= edges {
		t.Errorf("network filtered by IRN: %d edges of %d", e, edges)
	}

	open("/map")
	if n := count("#map circle.pt"); n < 50 || count("#map line.graticule") == 0 {
		t.Errorf("map: %d points", n)
	}
	shot("map")

	// An event page: follow the first RUS→UKR event's link.
	open("/events?actor=RUSMIL")
	a, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#event-list tbody tr td a"), "href"))
	if err != nil {
		t.Fatal(err)
	}
	href := a.Value
	open(href)
	if count("blockquote.evidence mark.hl-source") == 0 || count("blockquote.evidence mark.hl-target") == 0 ||
		count("blockquote.evidence mark.hl-trigger") == 0 || count("a.article") == 0 {
		t.Errorf("event page %s: highlights missing", href)
	}
	shot("event")

	d, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("p.cite a"), "href"))
	if err != nil {
		t.Fatal(err)
	}
	doc := d.Value
	open(doc)
	if count("#doctext mark") < 3 || count("ul.eventlinks a") == 0 {
		t.Errorf("document page %s: %d marks", doc, count("#doctext mark"))
	}
	shot("document")
	t.Logf("screenshots in %s", dir)
}

package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dyadproject/dyad/internal/coder"
	"github.com/dyadproject/dyad/internal/fetch"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/pipeline"
)

// Stories written for these tests, in wire style.
var stories = []struct{ title, body string }{
	{"Russia and China pledge closer ties",
		"Russian Foreign Minister Sergei Lavrov met Chinese Foreign Minister Wang Yi in Beijing on Tuesday. " +
			"The two ministers signed an agreement on energy cooperation and said their countries would coordinate at the United Nations.\n\n" +
			"Lavrov said Moscow valued the partnership and praised Beijing's position on the conflict in Ukraine. " +
			"Wang said China was ready to deepen trade with Russia despite Western pressure, and both men criticised new sanctions imposed by the United States.\n\n" +
			"The meeting came a week after officials from both governments held talks on border trade, transport links and the supply of natural gas through a new pipeline across Siberia."},
	{"France condemns attack on peacekeepers in Mali",
		"France on Monday condemned an attack on United Nations peacekeepers in northern Mali that killed three soldiers, " +
			"and called on the government in Bamako to find those responsible.\n\n" +
			"The French foreign ministry said the attack was unacceptable. The United Nations Security Council is expected to discuss the mission on Thursday, " +
			"diplomats said, as several contributing countries weigh whether to keep their troops in the region after the rainy season ends."},
	{"Kenya and Ethiopia agree to reopen border",
		"Kenyan President William Ruto and Ethiopian Prime Minister Abiy Ahmed agreed on Saturday to reopen the border crossing at Moyale, " +
			"which had been closed for three months after clashes between herders from both sides.\n\n" +
			"The two leaders also promised to set up a joint commission on grazing rights and water, and asked the African Union to send observers to the border region " +
			"while the commission prepares its first report for both governments and for the regional bloc."},
}

const french = "Le ministre des Affaires étrangères a rencontré son homologue allemand mardi à Paris. " +
	"Les deux pays ont signé un accord sur la coopération énergétique et ont appelé l'Union européenne à renforcer sa défense commune. " +
	"Cette rencontre intervient après plusieurs mois de tensions entre les deux gouvernements sur la politique agricole et les subventions."

func page(title, body string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + " | Example News</title>")
	b.WriteString("<meta property=\"og:site_name\" content=\"Example News\"><meta property=\"article:published_time\" content=\"2024-05-14T09:00:00Z\">")
	b.WriteString("</head><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/sport\">Sport</a></nav>")
	b.WriteString("<div class=\"ad\">Advertisement</div><article><h1>" + title + "</h1>")
	for _, p := range strings.Split(body, "\n\n") {
		b.WriteString("<p>" + p + "</p>")
	}
	b.WriteString("</article><aside><h3>Most read</h3><ul><li><a href=\"/a\">Celebrity weds in secret ceremony</a></li><li><a href=\"/b\">Ten best beaches</a></li></ul></aside>")
	b.WriteString("<footer>Copyright Example News. All rights reserved. <a href=\"/privacy\">Privacy</a></footer></body></html>")
	return b.String()
}

func newPipeline(t testing.TB) *pipeline.Pipeline {
	t.Helper()
	c, err := coder.Load(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &pipeline.Pipeline{Coder: c, RefDate: "2024-05-15"}
}

type memSink struct {
	mu       sync.Mutex
	recs     []model.Record
	failures []Failure
}

func (m *memSink) Record(r model.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.recs = append(m.recs, r)
	return nil
}

func (m *memSink) Failure(f Failure) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failures = append(m.failures, f)
	return nil
}

func (m *memSink) byID() map[string]model.Record {
	out := map[string]model.Record{}
	for _, r := range m.recs {
		out[r.Document.ID] = r
	}
	return out
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// A folder as analysts have them: every kind of file, a syndicated copy, a
// French page and broken files side by side.
func TestFolder(t *testing.T) {
	dir := t.TempDir()
	s0, s1, s2 := stories[0], stories[1], stories[2]
	write(t, filepath.Join(dir, "a.txt"), []byte(s0.title+"\n\n"+s0.body))
	write(t, filepath.Join(dir, "b.html"), []byte(page(s1.title, s1.body)))
	write(t, filepath.Join(dir, "0sub", "c.html.gz"), gz([]byte(page(s2.title, s2.body))))
	// the same wire story as a.txt, reprinted with its own headline and trailer
	write(t, filepath.Join(dir, "d-copy.txt"), []byte("Moscow and Beijing move closer\n\n"+s0.body+"\n\nReporting by Staff; editing by Desk"))
	write(t, filepath.Join(dir, "e-fr.html"), []byte(strings.Replace(page("Accord franco-allemand", french), `lang="en"`, `lang="fr"`, 1)))
	write(t, filepath.Join(dir, "f.jsonl"), []byte(`{"id":"j1","text":"`+s2.title+`\n\n`+strings.ReplaceAll(s2.body, "\n", `\n`)+`","date":"2024-05-11"}`+"\n"+
		`{"id":"j2","html":`+jsonString(page(s1.title, s1.body))+`}`+"\n"+"{broken\n"))
	write(t, filepath.Join(dir, "g.bin"), []byte{0, 1, 2, 3, 0, 0, 0xff})
	write(t, filepath.Join(dir, "h-empty.txt"), nil)
	write(t, filepath.Join(dir, "i-bomb.html.gz"), gz(bytes.Repeat([]byte("<p>aaaaaaaa</p>"), 200_000))) // 3 MB inflated
	write(t, filepath.Join(dir, ".hidden.txt"), []byte("not read"))
	write(t, filepath.Join(dir, "j-feed.xml"), []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title><item><title>A`))
	big, err := os.Create(filepath.Join(dir, "k-huge.html")) // 100 MB, sparse: must be refused without reading it all
	if err != nil {
		t.Fatal(err)
	}
	big.Truncate(100 << 20)
	big.Close()

	in := New(newPipeline(t), Options{MaxBytes: 1 << 20})
	sink := &memSink{}
	st, err := in.Run(context.Background(), []string{dir, filepath.Join(dir, "nothing-*.txt"), filepath.Join(dir, "missing.txt")}, sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := sink.byID()
	want := map[string]string{
		filepath.Join(dir, "a.txt"):             model.StatusCoded,
		filepath.Join(dir, "b.html"):            model.StatusCoded,
		filepath.Join(dir, "0sub", "c.html.gz"): model.StatusCoded,
		filepath.Join(dir, "d-copy.txt"):        model.StatusDuplicate,
		filepath.Join(dir, "e-fr.html"):         model.StatusSkipped,
		"j1":                                    model.StatusDuplicate, // same story as c.html.gz
		"j2":                                    model.StatusDuplicate, // same page as b.html
	}
	for id, status := range want {
		r, ok := got[id]
		if !ok {
			t.Errorf("%s: no record", id)
			continue
		}
		if r.Status != status {
			t.Errorf("%s: status %s (%s), want %s", id, r.Status, r.Reason, status)
		}
	}
	if len(sink.recs) != len(want) {
		t.Errorf("%d records, want %d", len(sink.recs), len(want))
	}
	if r := got[filepath.Join(dir, "d-copy.txt")]; r.DuplicateOf != filepath.Join(dir, "a.txt") || len(r.Events) != 0 {
		t.Errorf("copy: duplicate_of %q with %d events, want the first copy and no events", r.DuplicateOf, len(r.Events))
	}
	if r := got[filepath.Join(dir, "e-fr.html")]; r.Document.Lang != "fra" || !strings.Contains(r.Reason, "fra") {
		t.Errorf("French page: lang %q, reason %q", r.Document.Lang, r.Reason)
	}
	b := got[filepath.Join(dir, "b.html")]
	if b.Document.Outlet != "Example News" || b.Document.Published != "2024-05-14" || !strings.HasPrefix(b.Document.Text, s1.title) {
		t.Errorf("page metadata: outlet %q published %q text %.60q", b.Document.Outlet, b.Document.Published, b.Document.Text)
	}
	for _, junk := range []string{"Most read", "Celebrity", "Copyright", "Advertisement", "Home"} {
		if strings.Contains(b.Document.Text, junk) {
			t.Errorf("page text keeps boilerplate %q", junk)
		}
	}
	if len(got[filepath.Join(dir, "a.txt")].Events) == 0 || len(b.Events) == 0 {
		t.Errorf("coded documents without events: a.txt %d, b.html %d", len(got[filepath.Join(dir, "a.txt")].Events), len(b.Events))
	}
	wantFail := []string{"f.jsonl:3", "g.bin", "h-empty.txt", "i-bomb.html.gz", "j-feed.xml", "k-huge.html", "nothing-*.txt", "missing.txt"}
	for _, w := range wantFail {
		found := false
		for _, f := range sink.failures {
			if f.Status == "failed" && strings.Contains(f.Reason, w) && !strings.Contains(f.Reason, "\n") {
				found = true
			}
		}
		if !found {
			t.Errorf("no one-line failure naming %s in %+v", w, sink.failures)
		}
	}
	if st.Failed != len(wantFail) || st.Skipped != 1 || st.Coded != 3 || st.Duplicates != 3 {
		t.Errorf("stats %+v", st)
	}
	for _, f := range sink.failures {
		if strings.Contains(f.Source, ".hidden") {
			t.Errorf("hidden file read: %+v", f)
		}
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Re-running an ingest into the same output adds nothing, and a last line cut
// short by a killed run is dropped and written again.
func TestRerunAddsNothing(t *testing.T) {
	dir := t.TempDir()
	for i, s := range stories {
		write(t, filepath.Join(dir, "in", fmt.Sprintf("%d.txt", i)), []byte(s.title+"\n\n"+s.body))
	}
	out := filepath.Join(dir, "out.jsonl")
	run := func() (Stats, []byte) {
		in := New(newPipeline(t), Options{})
		f, err := OpenOutput(out, in.Remember)
		if err != nil {
			t.Fatal(err)
		}
		sink := NewJSONLSink(f, nil)
		st, err := in.Run(context.Background(), []string{filepath.Join(dir, "in")}, sink, nil)
		if err != nil {
			t.Fatal(err)
		}
		sink.Flush()
		f.Close()
		b, _ := os.ReadFile(out)
		return st, b
	}
	st1, b1 := run()
	if st1.Coded != 3 || bytes.Count(b1, []byte("\n")) != 3 {
		t.Fatalf("first run: %+v, %d lines", st1, bytes.Count(b1, []byte("\n")))
	}
	st2, b2 := run()
	if st2.Documents != 0 || st2.Unchanged != 3 || !bytes.Equal(b1, b2) {
		t.Errorf("second run wrote %d documents (%d unchanged); file changed: %v", st2.Documents, st2.Unchanged, !bytes.Equal(b1, b2))
	}
	// cut the file inside its last line, as a SIGKILL mid-write would
	lines := bytes.SplitAfter(b1, []byte("\n"))
	cut := len(b1) - len(lines[2])/2
	if err := os.WriteFile(out, b1[:cut], 0o644); err != nil {
		t.Fatal(err)
	}
	st3, b3 := run()
	if st3.Documents != 1 || !bytes.Equal(b1, b3) {
		t.Errorf("after a cut line: %d documents written, file equal to the first run: %v", st3.Documents, bytes.Equal(b1, b3))
	}
	// a file that is not ours is refused rather than appended to
	other := filepath.Join(dir, "other.jsonl")
	write(t, other, []byte("hello\n"))
	if _, err := OpenOutput(other, func(model.Record) {}); err == nil || !strings.Contains(err.Error(), "other.jsonl:1") {
		t.Errorf("foreign output file: %v", err)
	}
}

// The same input gives byte-identical output whatever the number of workers.
func TestDeterministic(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 30; i++ {
		s := stories[i%3]
		body := strings.Replace(s.body, "Tuesday", fmt.Sprintf("day %d", i), 1) // distinct enough? keep copies too
		if i%2 == 0 {
			body = fmt.Sprintf("Story %d opens differently. ", i) + s.body
		}
		write(t, filepath.Join(dir, fmt.Sprintf("%02d.txt", i)), []byte(s.title+"\n\n"+body))
	}
	var outs [][]byte
	for _, w := range []int{1, 4} {
		var buf bytes.Buffer
		sink := NewJSONLSink(&buf, nil)
		if _, err := New(newPipeline(t), Options{Workers: w}).Run(context.Background(), []string{dir}, sink, nil); err != nil {
			t.Fatal(err)
		}
		sink.Flush()
		outs = append(outs, buf.Bytes())
	}
	if !bytes.Equal(outs[0], outs[1]) || len(outs[0]) == 0 {
		t.Error("output differs between 1 and 4 workers")
	}
}

// A news site on loopback: robots.txt, a feed, its pages, a page behind a
// redirect loop and one that never answers.
type site struct {
	srv      *httptest.Server
	hits     sync.Map // path → *int64
	items    atomic.Int32
	etag     string
	feedHits atomic.Int32
	notMod   atomic.Int32
}

func (s *site) count(p string) int64 {
	v, _ := s.hits.LoadOrStore(p, new(int64))
	return atomic.LoadInt64(v.(*int64))
}

func newSite(t *testing.T) *site {
	s := &site{}
	s.items.Store(2)
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		s.feedHits.Add(1)
		n := int(s.items.Load())
		etag := fmt.Sprintf(`"v%d"`, n)
		if r.Header.Get("If-None-Match") == etag {
			s.notMod.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		var items strings.Builder
		for i := n - 1; i >= 0; i-- {
			fmt.Fprintf(&items, "<item><title>%s</title><link>%s/news/%d</link><guid>%s/news/%d</guid><pubDate>Mon, 13 May 2024 10:00:00 GMT</pubDate><description>%s</description></item>",
				stories[i%3].title, s.srv.URL, i, s.srv.URL, i, "Summary only.")
		}
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Example News</title><link>%s</link>%s</channel></rss>`, s.srv.URL, items.String())
	})
	mux.HandleFunc("/news/", func(w http.ResponseWriter, r *http.Request) {
		v, _ := s.hits.LoadOrStore(r.URL.Path, new(int64))
		atomic.AddInt64(v.(*int64), 1)
		var i int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/news/"), "%d", &i)
		st := stories[i%3]
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page(st.title, fmt.Sprintf("Dispatch %d. ", i)+st.body))
	})
	mux.HandleFunc("/private/secret", func(w http.ResponseWriter, r *http.Request) {
		t.Error("robots.txt disallowed path was fetched")
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "database down", http.StatusInternalServerError)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

func netOptions() Options {
	return Options{Follow: true, Fetch: fetch.Options{AllowPrivate: true, HostDelay: time.Millisecond, Timeout: 500 * time.Millisecond}}
}

func TestFeedFollowAndFailures(t *testing.T) {
	s := newSite(t)
	in := New(newPipeline(t), netOptions())
	sink := &memSink{}
	srcs := []string{s.srv.URL + "/feed.xml", s.srv.URL + "/private/secret", s.srv.URL + "/loop", s.srv.URL + "/slow", s.srv.URL + "/broken", s.srv.URL + "/news/8"}
	start := time.Now()
	st, err := in.Run(context.Background(), srcs, sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("run took %v: the slow server was not cut off", time.Since(start))
	}
	if st.Coded != 3 || st.Failed != 4 {
		t.Errorf("stats %+v, failures %+v", st, sink.failures)
	}
	for _, want := range []string{"robots.txt", "redirect", "/slow", "HTTP 500"} {
		found := false
		for _, f := range sink.failures {
			found = found || strings.Contains(f.Reason, want)
		}
		if !found {
			t.Errorf("no failure mentioning %q: %+v", want, sink.failures)
		}
	}
	for _, r := range sink.recs {
		if r.Status == model.StatusCoded && (r.Document.Published == "" || strings.Contains(r.Document.Text, "Summary only")) {
			t.Errorf("%s: followed page should give the page's text and date: %+v", r.Document.ID, r.Document)
		}
	}
}

func TestWatchTakesOnlyNewItems(t *testing.T) {
	s := newSite(t)
	opt := netOptions()
	opt.Watch = 150 * time.Millisecond
	in := New(newPipeline(t), opt)
	sink := &memSink{}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(400 * time.Millisecond)
		s.items.Store(3) // a new item appears
		time.Sleep(600 * time.Millisecond)
		cancel()
	}()
	st, err := in.Run(ctx, []string{s.srv.URL + "/feed.xml"}, sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Coded != 3 {
		t.Errorf("coded %d documents, want 3 (2 at start, 1 new): %+v", st.Coded, sink.failures)
	}
	for i := 0; i < 3; i++ {
		if n := s.count(fmt.Sprintf("/news/%d", i)); n != 1 {
			t.Errorf("/news/%d fetched %d times, want once", i, n)
		}
	}
	if s.notMod.Load() == 0 || s.feedHits.Load() < 3 {
		t.Errorf("feed polled %d times with %d 304s: conditional re-polls expected", s.feedHits.Load(), s.notMod.Load())
	}
}

func TestStdinSniffing(t *testing.T) {
	for name, input := range map[string]string{
		"text": stories[0].title + "\n\n" + stories[0].body,
		"html": page(stories[1].title, stories[1].body),
	} {
		in := New(newPipeline(t), Options{Stdin: strings.NewReader(input)})
		sink := &memSink{}
		if _, err := in.Run(context.Background(), []string{"-"}, sink, nil); err != nil {
			t.Fatal(err)
		}
		if len(sink.recs) != 1 || sink.recs[0].Status != model.StatusCoded || strings.Contains(sink.recs[0].Document.Text, "<") {
			t.Errorf("%s on stdin: %+v %+v", name, sink.recs, sink.failures)
		}
	}
}

func TestFragmentText(t *testing.T) {
	got := fragmentText([]byte(`<p>First <b>para</b>.</p><script>x()</script><div>Second&nbsp;one</div><figure><img src=a><figcaption>Photo: AP</figcaption></figure>`))
	if got != "First para.\n\nSecond one" {
		t.Errorf("fragmentText = %q", got)
	}
}

// warcRecord writes one WARC response record by hand, as a crawler would.
func warcRecord(uri, contentType string, status int, body string) []byte {
	http := fmt.Sprintf("HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s", status, contentType, len(body), body)
	return []byte(fmt.Sprintf("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\nWARC-Date: 2024-05-13T10:00:00Z\r\n"+
		"WARC-Record-ID: <urn:uuid:%08d>\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n",
		uri, len(uri), len(http), http))
}

func TestWARC(t *testing.T) {
	dir := t.TempDir()
	var plain, zipped bytes.Buffer
	recs := [][]byte{
		[]byte("WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 4\r\n\r\nabcd\r\n\r\n"),
		warcRecord("https://news.example/a", "text/html; charset=utf-8", 200, page(stories[0].title, stories[0].body)),
		warcRecord("https://news.example/logo.png", "image/png", 200, "\x89PNG...."),
		warcRecord("https://news.example/gone", "text/html", 404, "<html><body>Not found</body></html>"),
		warcRecord("https://news.example/b", "text/html", 200, page(stories[2].title, stories[2].body)),
	}
	for _, r := range recs {
		plain.Write(r)
		zipped.Write(gz(r)) // one gzip member per record, as Common Crawl writes
	}
	write(t, filepath.Join(dir, "crawl.warc"), plain.Bytes())
	write(t, filepath.Join(dir, "crawl2.warc.gz"), zipped.Bytes()[:zipped.Len()-40]) // cut inside the last record
	sink := &memSink{}
	st, err := New(newPipeline(t), Options{}).Run(context.Background(), []string{filepath.Join(dir, "crawl.warc"), filepath.Join(dir, "crawl2.warc.gz")}, sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := sink.byID()
	if r := got["https://news.example/a"]; r.Status != model.StatusCoded || r.Document.Outlet != "news.example" || len(r.Events) == 0 {
		t.Errorf("WARC page a: %+v", r.Status)
	}
	if r := got["https://news.example/b"]; r.Status != model.StatusCoded {
		t.Errorf("WARC page b: %+v", r.Status)
	}
	// the second file repeats the first: nothing new from it, its 404 and its cut record reported
	if st.Coded != 2 || st.Unchanged != 1 || st.Failed != 3 {
		t.Errorf("stats %+v; failures %+v", st, sink.failures)
	}
	for _, f := range sink.failures {
		if !strings.Contains(f.Reason, "crawl") || strings.Contains(f.Reason, "\n") {
			t.Errorf("failure does not name its file in one line: %q", f.Reason)
		}
	}
}

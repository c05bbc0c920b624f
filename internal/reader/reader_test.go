package reader

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// read collects the items Read emits for path.
func read(t testing.TB, path string, asJSONL bool, stdin string) []Item {
	t.Helper()
	var items []Item
	Read(path, asJSONL, strings.NewReader(stdin), func(it Item) { items = append(items, it) })
	return items
}

func write(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// one asserts a single item and returns it.
func one(t *testing.T, items []Item) Item {
	t.Helper()
	if len(items) != 1 {
		t.Fatalf("got %d items, want 1: %+v", len(items), items)
	}
	return items[0]
}

func wantErr(t *testing.T, it Item, parts ...string) {
	t.Helper()
	if it.Err == nil {
		t.Fatalf("no error, article %+v", it.Article)
	}
	for _, p := range parts {
		if !strings.Contains(it.Err.Error(), p) {
			t.Errorf("error %q does not contain %q", it.Err, p)
		}
	}
	if it.Article.Text != "" {
		t.Errorf("error item carries text %q", it.Article.Text)
	}
}

func TestPlainFile(t *testing.T) {
	text := "Iran condemned Israel.\n\nSecond paragraph — with a dash.\n"
	p := write(t, "story.txt", []byte(text))
	it := one(t, read(t, p, false, ""))
	if it.Err != nil || it.Warn != nil {
		t.Fatalf("err %v warn %v", it.Err, it.Warn)
	}
	if it.Article.Text != text || it.Article.ID != p || it.Article.Date != "" {
		t.Errorf("article = %+v", it.Article)
	}
}

func TestDirectory(t *testing.T) {
	d := t.TempDir()
	wantErr(t, one(t, read(t, d, false, "")), d, "is a directory")
	// asJSONL does not change that
	wantErr(t, one(t, read(t, d, true, "")), "is a directory")
}

func TestMissing(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nope.txt")
	it := one(t, read(t, p, false, ""))
	wantErr(t, it, p, "no such file")
	// the path is named once, not twice as os.PathError would
	if strings.Count(it.Err.Error(), p) != 1 {
		t.Errorf("error %q repeats the path", it.Err)
	}
}

func TestEmpty(t *testing.T) {
	for _, data := range []string{"", " \n\t\r\n  "} {
		p := write(t, "empty.txt", []byte(data))
		wantErr(t, one(t, read(t, p, false, "")), p, "empty")
	}
}

func TestBinary(t *testing.T) {
	p := write(t, "blob.bin", []byte("PK\x03\x04\x00\x00some zip"))
	wantErr(t, one(t, read(t, p, false, "")), p, "binary")
	// mostly invalid UTF-8 is binary too, not repaired text
	junk := bytes.Repeat([]byte{0xff, 0xfe, 'a'}, 100)
	wantErr(t, one(t, read(t, write(t, "junk", junk), false, "")), "binary", "invalid UTF-8")
}

func TestInvalidUTF8Repaired(t *testing.T) {
	data := []byte("Caf\xe9 owners in Paris protested against the new tax on Monday.")
	p := write(t, "latin1.txt", data)
	it := one(t, read(t, p, false, ""))
	if it.Err != nil {
		t.Fatal(it.Err)
	}
	if it.Warn == nil || !strings.Contains(it.Warn.Error(), p) || !strings.Contains(it.Warn.Error(), "invalid UTF-8 (1 bytes)") {
		t.Errorf("warn = %v", it.Warn)
	}
	if !utf8.ValidString(it.Article.Text) || !strings.HasPrefix(it.Article.Text, "Caf\uFFFD owners") {
		t.Errorf("text = %q", it.Article.Text)
	}
}

func TestOversized(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.txt")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// sparse: all NUL bytes, so the size check must come before the binary check
	if err := os.Truncate(p, MaxBytes+1); err != nil {
		t.Fatal(err)
	}
	wantErr(t, one(t, read(t, p, false, "")), p, "larger than", "8 MiB")

	// exactly MaxBytes of text is allowed
	ok := bytes.Repeat([]byte("a"), MaxBytes)
	if it := one(t, read(t, write(t, "max.txt", ok), false, "")); it.Err != nil || len(it.Article.Text) != MaxBytes {
		t.Errorf("MaxBytes file: err %v, %d bytes", it.Err, len(it.Article.Text))
	}
}

func TestJSONL(t *testing.T) {
	data := `{"id":"a1","text":"Iran condemned Israel.","date":"2024-04-02","url":"https://example.org/a1"}
{"text":"No id here.","extra":[1,2,3]}` + "\r\n" + `
{"id":"","text":"Empty id.","date":"2024-04-03"}
{"id":"last","text":"No final newline."}`
	p := write(t, "in.jsonl", []byte(data))
	items := read(t, p, false, "")
	if len(items) != 4 {
		t.Fatalf("got %d items: %+v", len(items), items)
	}
	for _, it := range items {
		if it.Err != nil || it.Warn != nil {
			t.Fatalf("unexpected err %v warn %v", it.Err, it.Warn)
		}
	}
	a := items[0].Article
	if a.ID != "a1" || a.Text != "Iran condemned Israel." || a.Date != "2024-04-02" || a.URL != "https://example.org/a1" {
		t.Errorf("line 1 = %+v", a)
	}
	if a := items[1].Article; a.ID != "" || a.Text != "No id here." {
		t.Errorf("line 2 = %+v", a)
	}
	if a := items[2].Article; a.ID != "" || a.Date != "2024-04-03" {
		t.Errorf("line 4 = %+v", a)
	}
	if a := items[3].Article; a.ID != "last" || a.Text != "No final newline." {
		t.Errorf("line 5 = %+v", a)
	}
	// the extension is not case-sensitive, and asJSONL forces the format
	up := write(t, "IN.JSONL", []byte(data))
	if n := len(read(t, up, false, "")); n != 4 {
		t.Errorf(".JSONL: %d items", n)
	}
	txt := write(t, "in.txt", []byte(data))
	if n := len(read(t, txt, true, "")); n != 4 {
		t.Errorf("asJSONL on .txt: %d items", n)
	}
}

func TestJSONLBadLines(t *testing.T) {
	data := `{"id":"1","text":"First."}
{"id":"2","text":"Broken
{"id":"3","title":"no text"}
{"id":"4","text":"   "}
{"id":"5","text":"Bad date.","date":"2024/04/02"}
{"id":"6","text":"Bad date.","date":"April 2"}
{"id":"7","text":42}
[1,2]
{"id":"9","text":"Still read."}
`
	p := write(t, "bad.jsonl", []byte(data))
	items := read(t, p, false, "")
	if len(items) != 9 {
		t.Fatalf("got %d items, want 9: %+v", len(items), items)
	}
	if items[0].Err != nil || items[0].Article.ID != "1" {
		t.Errorf("line 1: %+v", items[0])
	}
	wantErr(t, items[1], p+":2:", "malformed JSON")
	wantErr(t, items[2], p+":3:", `no "text" field`)
	wantErr(t, items[3], p+":4:", "empty text")
	wantErr(t, items[4], p+":5:", `"2024/04/02"`, "YYYY-MM-DD")
	wantErr(t, items[5], p+":6:", `"April 2"`)
	wantErr(t, items[6], p+":7:", "malformed JSON")
	wantErr(t, items[7], p+":8:", "malformed JSON")
	if it := items[8]; it.Err != nil || it.Article.ID != "9" || it.Article.Text != "Still read." {
		t.Errorf("line 9: %+v", it)
	}
}

func TestJSONLEmpty(t *testing.T) {
	p := write(t, "empty.jsonl", nil)
	wantErr(t, one(t, read(t, p, false, "")), p, "empty")
}

// A JSONL input of blank lines holds no article, like an empty file, but
// Read reports nothing at all for it: `any` is set but never decides.
func TestJSONLBlankLinesOnly(t *testing.T) {
	p := write(t, "blank.jsonl", []byte("\n\n  \n"))
	wantErr(t, one(t, read(t, p, false, "")), "empty")
}

func TestJSONLLongLine(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{"id":"big","text":"`)
	b.Write(bytes.Repeat([]byte("a"), MaxBytes))
	b.WriteString("\"}\n")
	b.WriteString(`{"id":"after","text":"Read after the long line."}` + "\n")
	// a second over-long line that ends the file without a newline
	b.WriteString(`{"text":"`)
	b.Write(bytes.Repeat([]byte("b"), MaxBytes))
	p := write(t, "long.jsonl", b.Bytes())
	items := read(t, p, false, "")
	if len(items) != 3 {
		t.Fatalf("got %d items, want 3", len(items))
	}
	wantErr(t, items[0], p+":1:", "longer than", "8 MiB")
	if it := items[1]; it.Err != nil || it.Article.ID != "after" {
		t.Errorf("line 2: err %v article %+v", it.Err, it.Article)
	}
	wantErr(t, items[2], p+":3:", "longer than")
}

func TestStdin(t *testing.T) {
	it := one(t, read(t, "-", false, "Egypt urged calm.\n"))
	if it.Err != nil || it.Article.Text != "Egypt urged calm.\n" || it.Article.ID != "" {
		t.Errorf("stdin text: %+v", it)
	}
	wantErr(t, one(t, read(t, "-", false, "")), "<stdin>", "empty")
	it = one(t, read(t, "-", false, "caf\xe9 talks resumed"))
	if it.Warn == nil || !strings.Contains(it.Warn.Error(), "<stdin>") {
		t.Errorf("stdin warn = %v", it.Warn)
	}

	items := read(t, "-", true, `{"id":"x","text":"From stdin."}`+"\n"+"not json\n")
	if len(items) != 2 || items[0].Article.ID != "x" || items[0].Err != nil {
		t.Fatalf("stdin JSONL: %+v", items)
	}
	wantErr(t, items[1], "<stdin>:2:", "malformed JSON")
	wantErr(t, one(t, read(t, "-", true, "")), "<stdin>", "empty")
}

func FuzzReadJSONL(f *testing.F) {
	for _, s := range []string{
		"",
		"\n",
		`{"id":"a","text":"Iran condemned Israel.","date":"2024-04-02","url":"u"}`,
		`{"text":"x"}` + "\r\n" + `{"text":"y","date":"2024-1-1"}`,
		`{"text":"  "}`,
		`{"text":null}`,
		`{"text":"\u0000\ud800"}`,
		"{\"text\":\"caf\xe9\"}\n[]\n{",
		`{"id":7,"text":"n"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var items []Item
		Read("-", true, bytes.NewReader(data), func(it Item) { items = append(items, it) })
		if lines := bytes.Count(data, []byte("\n")) + 1; len(items) > lines {
			t.Fatalf("%d items from %d lines", len(items), lines)
		}
		for _, it := range items {
			if it.Err != nil {
				if it.Article != (Item{}).Article {
					t.Fatalf("error item carries an article: %+v", it)
				}
				if !strings.HasPrefix(it.Err.Error(), "<stdin>") {
					t.Fatalf("error does not name its input: %v", it.Err)
				}
				continue
			}
			a := it.Article
			if strings.TrimSpace(a.Text) == "" {
				t.Fatalf("article without text: %+v", it)
			}
			if !utf8.ValidString(a.Text) {
				t.Fatalf("invalid UTF-8 text %q", a.Text)
			}
			if a.Date != "" && !validDate(a.Date) {
				t.Fatalf("bad date passed: %q", a.Date)
			}
		}
	})
}

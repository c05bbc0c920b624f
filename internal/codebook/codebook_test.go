package codebook

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

const sharedDir = "../../../shared/codebooks/"

func TestEmbeddedParses(t *testing.T) {
	codes, err := parse(cameoTSV)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) < 300 {
		t.Errorf("got %d codes, want about 318", len(codes))
	}
	for r := 1; r <= 20; r++ {
		root := fmt.Sprintf("%02d", r)
		c, ok := Lookup(root)
		if !ok {
			t.Errorf("root %s missing", root)
			continue
		}
		if c.Root != root {
			t.Errorf("root %s has Root %q", root, c.Root)
		}
	}
}

func TestLookup(t *testing.T) {
	c, ok := Lookup("163")
	if !ok {
		t.Fatal("163 missing")
	}
	if c.Root != "16" || c.Goldstein != -8 || c.Quad != 4 || c.Name == "" {
		t.Errorf("163 = %+v", c)
	}
	c, ok = Lookup("0211")
	if !ok || c.Root != "02" || c.Quad != 1 || c.PLOVER != "REQUEST" {
		t.Errorf("0211 = %+v, %v", c, ok)
	}
	c, ok = Lookup("010")
	if !ok || c.PLOVER != "" {
		t.Errorf("010 = %+v, %v; statements have no PLOVER category", c, ok)
	}
	for _, bad := range []string{"", "0", "21", "999", "163a", " 163"} {
		if _, ok := Lookup(bad); ok {
			t.Errorf("Lookup(%q) found an entry", bad)
		}
	}
}

func TestAllSortedAndConsistent(t *testing.T) {
	all := All()
	for i, c := range all {
		if i > 0 && all[i-1].Code >= c.Code {
			t.Errorf("not sorted at %s, %s", all[i-1].Code, c.Code)
		}
		if c.Root != Root(c.Code) {
			t.Errorf("%s: Root %q", c.Code, c.Root)
		}
		// GDELT quad classes follow the roots: 01-05, 06-09, 10-14, 15-20.
		r, _ := strconv.Atoi(c.Root)
		want := 4
		switch {
		case r <= 5:
			want = 1
		case r <= 9:
			want = 2
		case r <= 14:
			want = 3
		}
		if c.Quad != want {
			t.Errorf("%s: quad %d, want %d", c.Code, c.Quad, want)
		}
	}
	all[0].Name = "changed"
	if c, _ := Lookup(all[0].Code); c.Name == "changed" {
		t.Error("All returned the package's own slice")
	}
}

func TestRootAndQuadName(t *testing.T) {
	for in, want := range map[string]string{"163": "16", "0211": "02", "20": "20", "1": "1", "": ""} {
		if got := Root(in); got != want {
			t.Errorf("Root(%q) = %q, want %q", in, got, want)
		}
	}
	if QuadName(1) != "Verbal Cooperation" || QuadName(4) != "Material Conflict" || QuadName(0) != "" || QuadName(5) != "" {
		t.Error("QuadName wrong")
	}
}

func TestParseRejectsBadRows(t *testing.T) {
	ok := header + "\n01\tMake public statement\t0.0\t1\t\t\n"
	if _, err := parse([]byte(ok)); err != nil {
		t.Fatalf("minimal file: %v", err)
	}
	bad := map[string]string{
		"no header":      "01\tx\t0\t1\t\t\n",
		"few fields":     header + "\n01\tx\t0\t1\n",
		"bad code":       header + "\n01\tx\t0\t1\t\t\n21\tx\t0\t1\t\t\n",
		"letters":        header + "\n01\tx\t0\t1\t\t\n01a\tx\t0\t1\t\t\n",
		"duplicate":      header + "\n01\tx\t0\t1\t\t\n01\ty\t0\t1\t\t\n",
		"goldstein":      header + "\n01\tx\t11\t1\t\t\n",
		"quad":           header + "\n01\tx\t0\t5\t\t\n",
		"plover":         header + "\n01\tx\t0\t1\tSTATEMENT\t\n",
		"mode alone":     header + "\n01\tx\t0\t1\t\tvisit\n",
		"missing root":   header + "\n01\tx\t0\t1\t\t\n021\tx\t0\t1\t\t\n",
		"empty name":     header + "\n01\t\t0\t1\t\t\n",
		"nonnumeric wgt": header + "\n01\tx\tlow\t1\t\t\n",
	}
	for name, in := range bad {
		if _, err := parse([]byte(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// readTSV reads a tab-separated file with a header row into maps.
func readTSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("shared codebook not available (%v)", err)
	}
	defer f.Close()
	var rows []map[string]string
	var cols []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fields := strings.Split(strings.TrimRight(sc.Text(), "\r"), "\t")
		if cols == nil {
			cols = fields
			continue
		}
		row := map[string]string{}
		for i, c := range cols {
			if i < len(fields) {
				row[c] = strings.TrimSpace(fields[i])
			}
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// plover2 lists the codes where cameo.tsv follows the PLOVER 2 definitions
// rather than the 2021 conversion table (see the header of cameo.tsv).
var plover2 = map[string]string{"0813": "CONCEDE", "0814": "CONCEDE", "0831": "RETREAT", "163": "SANCTION", "116": "SANCTION"}

// TestAgreesWithSharedCodebook checks our facts against the reference table:
// every code exists with the same GDELT weight, quad class and PLOVER category.
func TestAgreesWithSharedCodebook(t *testing.T) {
	rows := readTSV(t, sharedDir+"cameo_codes.tsv")
	if len(rows) == 0 {
		t.Fatal("shared cameo_codes.tsv has no rows")
	}
	for _, r := range rows {
		code := r["code"]
		c, ok := Lookup(code)
		if !ok {
			t.Errorf("%s: in shared codebook, missing here", code)
			continue
		}
		if g := r["goldstein_gdelt"]; g != "" {
			want, err := strconv.ParseFloat(g, 64)
			if err != nil {
				t.Errorf("%s: shared weight %q: %v", code, g, err)
			} else if c.Goldstein != want {
				t.Errorf("%s: Goldstein %v, shared %v", code, c.Goldstein, want)
			}
		}
		if q := r["quad_gdelt"]; q != "" && strconv.Itoa(c.Quad) != q {
			t.Errorf("%s: quad %d, shared %s", code, c.Quad, q)
		}
		if p := r["plover_event"]; p != "" && c.PLOVER != p && plover2[code] != c.PLOVER {
			t.Errorf("%s: PLOVER %q, shared %q", code, c.PLOVER, p)
		}
	}
	if n := len(All()); n != len(rows) {
		t.Errorf("%d codes here, %d in shared codebook", n, len(rows))
	}
}

// TestModesArePLOVER2 checks every mode against the PLOVER 2 mode list.
func TestModesArePLOVER2(t *testing.T) {
	rows := readTSV(t, sharedDir+"plover_events_modes.tsv")
	valid := map[string]bool{}
	for _, r := range rows {
		valid[r["event"]+"/"+r["mode"]] = true
	}
	for _, c := range All() {
		if c.PLOVER != "" && !valid[c.PLOVER+"/"+c.PLOVERMode] {
			t.Errorf("%s: %s/%s is not a PLOVER 2 category/mode", c.Code, c.PLOVER, c.PLOVERMode)
		}
	}
}

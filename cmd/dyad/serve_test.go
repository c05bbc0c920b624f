package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestDemoCheck runs dyad demo --check: the bundled corpus is coded into a
// temporary store, the server starts on a free loopback port, and / and
// /api/stats answer.
func TestDemoCheck(t *testing.T) {
	c := demoCmd()
	var out bytes.Buffer
	c.SetOut(&out)
	c.SetErr(&out)
	c.SetArgs([]string{"--check"})
	if err := c.Execute(); err != nil {
		t.Fatalf("demo --check: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "50 sample articles") || !strings.Contains(out.String(), "answered / and /api/stats") {
		t.Errorf("demo --check said:\n%s", out.String())
	}
}

func TestServeFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--db", ""}, "no store given"},
		{[]string{"--db", t.TempDir() + "/x.db", "--protect-reads"}, "needs a token"},
		{[]string{"--db", t.TempDir() + "/x.db", "--addr", "256.0.0.1:99999"}, "--addr"},
	} {
		t.Setenv("DYAD_DB", "")
		t.Setenv("DYAD_TOKEN", "")
		cmd := serveCmd()
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetErr(&out)
		cmd.SetArgs(c.args)
		err := cmd.Execute()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("serve %v: %v, want an error with %q", c.args, err, c.want)
		}
	}
}

package coder

import (
	"strings"
	"testing"
)

// Sentences invented for the mechanisms that keep unlabelled news precise:
// acts not done, statements whose content says what they do, denials, and
// actors named around the trigger.
func TestNotDoneAndContent(t *testing.T) {
	// a story about Britain, so that unknown people are British
	const story = "Britain and London were quiet on Monday.\n\n"
	cases := []struct {
		name, text, want string
	}{
		{"hearsay", "Finance ministers from Britain are believed to have agreed to help Indonesia.", ""},
		{"gerund subject of a modal", "But Mr Pembridge said reaching an understanding with Kenya could be difficult.", ""},
		{"gerund subject of is", "Mr Pembridge said: \"Helping Kenya is a goal we share.\"", ""},
		{"prevented act", "Mr Pembridge said the new law in Britain had prevented attacks by terrorists.", ""},
		{"scheduled meeting", "The government in Britain is holding a meeting on Friday with Kenya.", "GBRGOV>KEN:03"},
		{"progressive said on a day is no schedule", "Britain is discussing a ceasefire with Kenya, its envoy said on Friday.", "GBR>KEN:04"},
		{"vote to strike", "Union members in Britain have voted to strike over pension cuts.", "GBRLAB>GBRGOV:13"},
		{"plan to sue", "Tom Pellow plans to sue the government in Britain.", ""},
		{"hoping to agree", "Kenya is hoping to strike a deal with Britain.", "KEN>GBR:03"},
		{"should is an appeal", "Sir Tom Pellow said Britain should reform the farm policy.", "GBR>GBR:02"},
		{"must is a demand", "Sir Tom Pellow said Britain must reform the farm policy.", "GBR>GBR:10"},
		{"hearsay past an adverb", "Finance ministers from Britain are also believed to have agreed to help Indonesia.", ""},
		{"declined to discuss reports", "Mr Pellow in Britain would not discuss reports about Kenya.", "GBR>-:01"},
		{"noun that opens the content", "Mr Pembridge insisted closer co-operation did not mean losing control of British borders.", ""},
		{"no doubt", "The ministry in Britain has no doubt that Kenya acted lawfully.", ""},
		{"told with blame", story + "Mr Pembridge told Kenya: \"It is disappointing that you have ignored us.\"", "GBR>KEN:11"},
		{"told with a denial", story + "Ms Wellbeck told BBC Radio: \"We don't think we got our sums wrong.\"", "GBR>-:01"},
		{"told with a rejection", "The Kenyan minister told Britain: \"It is not for negotiation.\"", "KENGOV>GBR:12"},
		{"plain told stays a statement", story + "Mr Pembridge told Kenya: \"The weather was fine.\"", "GBR>KEN:01"},
		{"denied report", story + "Ms Wellbeck said reports that she had likened the Kenyan government to a dictatorship were untrue.", "GBR>-:01"},
		{"crime count is no attack", "Mr Pembridge said binge drinking in Britain ended in assaults or rapes.", ""},
		{"finding is no endorsement", "The research endorses the government policy on Kenya.", ""},
		{"noun after an adjective", "Mr Pellow in Britain wants new powers to replace indefinite jail for suspects.", ""},
		{"habit of a kind of people", "A cut would hurt young women in Britain who often seek help from charities.", ""},
		{"gap stops at a new verb group", "The chancellor in Britain said the cuts will allow funding for the police.", ""},
	}
	for _, c := range cases {
		if got := brief(code(t, c.text, "2005-03-01")); got != c.want {
			t.Errorf("%s: %q\n got  %q\n want %q", c.name, c.text, got, c.want)
		}
	}
}

func TestActorsAroundTrigger(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"addressee of a participle", "Tory leader Jonathan Pembridge has written to Tony Blair demanding an explanation.", "GBROPP>GBRGOV:10"},
		{"scare quote before the target", "Labour criticised \"lavish\" Tory promises on policing.", "GBRGOV>GBROPP:11"},
		{"agent caught by the slot", "That has been attacked by the Tories as too little, too late.", "GBROPP>-:11"},
		{"author of a noun", "Mr Pellow in Britain rejected a warning from the Kenyan government.", "GBR>KENGOV:12"},
		{"noun's author acts", "A warning from the Kenyan government angered Britain.", "KENGOV>-:01"},
		{"agent of a launched noun", "A crackdown on truants in Britain has been launched by the Home Office.", "GBRGOV>GBR:17"},
		{"participle with an agent after a comma", "Sir Pembridge was among those worried about plans, backed by the UK, to lift the embargo on Kenya.", ""},
		{"actor before the comma", "The Tories, backed by the Liberal Democrats, believe taxes will rise.", "GBROPP>GBROPP:05"},
		{"state that modifies the thing asked for", "Mr Pembridge in Britain calls for Kenya exit plans.", "GBR>-:02"},
		{"the alternative is no target", "The chancellor in Britain rejected tax cuts in favour of help for Kenya.", "GBRGOV>-:12"},
		{"it after a speech verb", "The government in Kenya said it would invite observers from Britain.", "KENGOV>GBR:03"},
		{"forced by no one", "The home secretary in Britain was forced to resign.", "GBRGOV>-:08"},
		{"forced by someone", "The home secretary in Britain was forced to resign by the Tories.", "GBROPP>GBRGOV:17"},
		{"departments are the government", "The chancellor in Britain has demanded all government departments make savings.", "GBRGOV>GBRGOV:10"},
	}
	for _, c := range cases {
		if got := brief(code(t, c.text, "2005-03-01")); got != c.want {
			t.Errorf("%s: %q\n got  %q\n want %q", c.name, c.text, got, c.want)
		}
	}
}

// People keep their own country across a story: the pronoun of a later
// sentence means the earlier sentence's subject, of the right gender; a
// shared name means the holder in office; an unknown person keeps the
// country they were introduced with; a role placed by the state it acts on
// belongs to the story's state.
func TestStoryCoreference(t *testing.T) {
	cases := []struct {
		name, text, date, want string
	}{
		{"subject, not the last person named",
			"Pakistan's president Pervez Musharraf held talks in London.\n\nHe arrived after flying from the United States, where he met President George W Bush.\n\nHe praised Britain.",
			"2005-03-01", "PAKGOV>GBR:05"},
		{"possessor opening the sentence",
			"Gordon Brown's speech was a rebuttal of a warning from Peter Mandelson.\n\nHe also promised to help Kenya.",
			"2005-03-01", "GBRGOV>KEN:03"},
		{"gender from a title",
			"Tom Pellow wrote to Ms Ann Wellbeck on Tuesday.\n\nIn a reply, the first minister said his comments were distorted.\n\nHe told Ms Wellbeck in Britain: \"The weather was fine.\"",
			"2005-03-01", ">GBR:01"},
		{"him across a that-clause",
			"Britain and London were quiet on Monday.\n\nMr Tom Pellow said the Labour party was blaming him for the row.",
			"2005-03-01", "GBRGOV>GBR:11"},
		{"she is not him",
			"Britain and London were quiet on Monday.\n\nMr Tom Pellow wrote to the council.\n\nKenyan minister Ms Ann Wellbeck spoke in Nairobi.\n\nThe Labour party criticised him.",
			"2005-03-01", "GBRGOV>GBR:11"},
		{"he is not the person his sentence names",
			"Tory leader Michael Howard spoke in London.\n\nMr Brown's budget was a disgrace, the Tory leader said.\n\nHe went on to accuse Mr Brown of deceit.",
			"2005-03-01", "GBROPP>GBRGOV:11"},
		{"shared name in office", "Tony Blair praised President George Bush.", "2005-03-01", "GBRGOV>USAGOV:05"},
		{"unknown person keeps the country of the introduction",
			"Irish President Mary Keogan spoke in Dublin.\n\nBritain's prime minister met officials in London.\n\nMrs Keogan criticised the British government.",
			"2005-03-01", "IRLGOV>GBRGOV:11"},
		{"role acting on a state",
			"Britain's bishops met in London.\n\nBritain's churches praised Britain.\n\nThe cardinal used a sermon to denounce the war in Iraq.",
			"2005-03-01", "GBRREL>IRQ:11"},
	}
	for _, c := range cases {
		got := brief(code(t, c.text, c.date))
		if !strings.Contains(got, c.want) {
			t.Errorf("%s:\n got  %q\n want %q in it", c.name, got, c.want)
		}
	}
}

"""Reading a 六保 plan's plain text into a document and its tasks.

source.py decodes the file and rebuilds its paragraphs; markers.py knows the
numbering the plans use; responsibility.py reads who is responsible;
outline.py walks the plan's structure; parser.py puts it together into a
:class:`~sixbao_cli.docparse.model.ParsedDocument`. Nothing here touches the
database or imports the CLI.
"""

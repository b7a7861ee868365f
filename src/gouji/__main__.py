from gouji.cli import run

run()

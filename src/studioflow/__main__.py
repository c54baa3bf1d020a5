from studioflow.cli.main import main

main()
